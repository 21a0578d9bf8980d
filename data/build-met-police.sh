#!/usr/bin/env bash
# Build the example ledger data/met-police/ from scratch, using only `track` commands.
#
#   bash data/build-met-police.sh        (from anywhere, with `track` on PATH)
#
# The ledger follows HMIC's 2016 child-protection inspection of the Metropolitan Police
# Service, the four quarterly progress updates of 2017-18, the post-inspection review
# (fieldwork October 2018, published March 2019), HMICFRS's 2021 assessment of progress, and
# the 2016 and 2017 PEEL findings on the force.
#
# How to read it:
# - Every text and note is written for this ledger, in its own words; a source's words appear
#   only inside quotation marks (“...”), with the source named.
# - Refs such as F1, R1 and AFI1 are the ledger's own numbering. Kind `finding` marks what an
#   inspection found without the formal standing of a cause of concern; `cause-of-concern` is
#   used only where HMIC named one.
# - Every status carries its basis: `claimed` (the force says so), `assessed` (this ledger's
#   reading of a source) or `verified` (the inspectorate reported the very thing done).
# - Owners, priorities and the links between findings and recommendations are this ledger's
#   assignment unless a note says otherwise; each report's note says so.
# - Each report's note names the sources of its date, figures and grades, and says which
#   dates are approximate; an event dated by an approximate date says so in its own note.
#
# TRACK_TODAY pins "today" (the `entered` and `recorded` fields) and TRACK_USER who entered
# each event (`recorded_by`), so that a rebuild is identical byte for byte
# (tests/test_example_ledger.py rebuilds it and compares).
set -euo pipefail
export TRACK_TODAY=2026-11-25
export TRACK_USER=keeper
unset TRACK_LEDGER

cd "$(dirname "$0")/.."
LEDGER=data/met-police
t() { track --ledger "$LEDGER" "$@" >/dev/null; }

rm -rf "$LEDGER"
track init --name met-police "$LEDGER" >/dev/null

# --- report ids and dates (each date's source is in the report's note) ---------------------
CP=hmic-2016-met-cp
CP_DATE=2016-11-25
Q1=hmic-2017-met-cp-q1
Q1_DATE=2017-05-25          # approximate: no source gives the day
Q2=hmicfrs-2017-met-cp-q2
Q2_DATE=2017-08-10
Q3=hmicfrs-2017-met-cp-q3
Q3_DATE=2017-11-24          # from one blog post; not confirmed by HMICFRS
Q4=hmicfrs-2018-met-cp-q4
Q4_DATE=2018-02-22
REVIEW=hmicfrs-2019-met-cp-review
REVIEW_DATE=2019-03-28
PROGRESS=hmicfrs-2021-met-cp-progress
PROGRESS_DATE=2021-09-01
LEG16=peel-2016-met-legitimacy
LEG16_DATE=2016-12-08
EFF16=peel-2016-met-effectiveness
EFF16_DATE=2017-03-02
PEEL16=peel-2016-met
PEEL16_DATE=2017-04-12      # from press coverage; HMIC's page gives no day
EFFY17=peel-2017-met-efficiency
EFFY17_DATE=2017-11-09
LEG17=peel-2017-met-legitimacy
LEG17_DATE=2017-12-12
EFF17=peel-2017-met-effectiveness
EFF17_DATE=2018-03-22
TRACKER_R1_DATE=2018-01-26
TRACKER_EFF_DATE=2018-08-06

# --- sources --------------------------------------------------------------------------------
MET_2016=http://www.mynewsdesk.com/uk/metpoliceuk/news/met-response-to-hmic-report-about-child-protection-201323
HANSARD_2016=https://hansard.parliament.uk/Commons/2016-11-25/debates/0DD50C57-B91E-4865-9317-CC6209142902/details
PA_2016=https://www.aol.co.uk/2016/11/24/met-police-making-serious-errors-in-child-abuse-cases-inspect/
GUARDIAN_2016=https://www.breakingnewstime.com/met-police-apologises-for-failing-to-protect-children-at-risk-of-abuse/
HJA_2016=https://www.hja.net/expert-comments/blog/civil-liberties-human-rights/metropolitan-police-service-criticised-for-failing-londons-children/
PCA_2017_S37=https://www.legislation.gov.uk/ukpga/2017/3/section/37/enacted
SI_2017_399=https://www.legislation.gov.uk/uksi/2017/399/made
REVIEW_PAGE=https://www.justiceinspectorates.gov.uk/hmicfrs/publications/metropolitan-national-child-protection-post-inspection-review
REVIEW_NEWS=https://hmicfrs.justiceinspectorates.gov.uk/news/news-feed/the-met-now-has-a-better-understanding-of-child-protection-cases-but-there-are-still-too-many-delays-and-poor-outcomes-for-children/
BBC_2019=https://www.bbc.com/news/uk-england-london-47732713
PA_Q2=https://www.aol.co.uk/news/2017/08/10/no-major-improvement-in-quality-of-mets-child-protection-probes/
PP_Q2=https://policeprofessional.com/news/more-work-needed-to-improve-mps-child-protection-despite-%C2%91encouraging-progress%C2%92/
BLOG_Q3=https://researchingreform.net/2017/11/27/met-police-90-of-child-protection-cases-handled-inadequately/
GUARDIAN_Q3=https://www.breakingnewstime.com/met-police-still-failing-on-child-protection-policies-report-finds/
Q4_NEWS=https://hmicfrs.justiceinspectorates.gov.uk/news/news-feed/met-police-leaders-now-understand-challenges-but-child-protection-still-needs-to-improve/
MET_Q4=https://securengin.fifthestate.nz/2018/02/22/response-to-post-inspection-report-review-of-child-protection-in-the-met
PA_Q4=https://www.careappointments.co.uk/care-news/england/item/43382-watchdog-finds-significant-weaknesses-in-met-police-child-protection-investigations
TRACKER_R1=https://www.justiceinspectorates.gov.uk/hmicfrs/recommendation/metropolitan/4104/
TRACKER_EFF=https://www.justiceinspectorates.gov.uk/hmicfrs/recommendation/metropolitan/8790/
PROGRESS_PAGE=https://hmicfrs.justiceinspectorates.gov.uk/publication-html/metropolitan-police-service-national-child-protection-inspection-assessment-of-progress/
PROGRESS_NEWS=https://www.justiceinspectorates.gov.uk/hmicfrs/news/news-feed/metropolitan-police-is-making-progress-on-child-protection/
PP_2021=https://policeprofessional.com/news/children-put-at-risk-to-prevent-jeopardising-investigations/
LBC_2021=https://www.lbc.co.uk/news/children-could-be-at-risk-because-of-how-met-police-investigate-online-child-abu/
LEG16_PAGE=https://hmicfrs.justiceinspectorates.gov.uk/peel-assessments/peel-2016/metropolitan/legitimacy/
HANSARD_LEG16=https://hansard.parliament.uk/commons/2016-12-08/debates/16120856000015/HMICPEELLegitimacyAndLeadershipReport
MET_LEG16=http://www.metbpa.org.uk/response-to-hmic-peel-police-legitimacy-2016-an-inspection-of-the-met/news/
EFF16_PAGE=https://hmicfrs.justiceinspectorates.gov.uk/peel-assessments/peel-2016/metropolitan/effectiveness/
ES_2017=https://uk.news.yahoo.com/met-police-hits-back-damning-211200344.html
PEEL16_PAGE=https://hmicfrs.justiceinspectorates.gov.uk/peel-assessments/peel-2016/metropolitan/
PEEL17_PAGE=https://www.justiceinspectorates.gov.uk/hmicfrs/peel-assessments/peel-2017/metropolitan/
METFED_2017=http://metfed.org.uk/news?id=7601
LEG17_PAGE=https://hmicfrs.justiceinspectorates.gov.uk/peel-assessments/peel-2017/metropolitan/legitimacy/
EFF17_PAGE=https://hmicfrs.justiceinspectorates.gov.uk/peel-assessments/peel-2017/metropolitan/effectiveness/

MOPAC="MOPAC, London's local policing body"
ASSIGNED="Owners and priorities are this ledger's assignment to Met portfolios; no source names them."
CLOCK_2017="Response clock: Police Act 1996 s.55(5A), in force from 2 May 2017 (Policing and Crime Act 2017 s.37; SI 2017/399 reg. 4), gives the local policing body, in London MOPAC, 56 days from publication to publish its comments and the force's; the ledger keeps that clock and records no response until MOPAC's comments are found. None was found in the sources searched, so an item still awaiting a response means only that none is recorded here."

# =============================================================================================
# 1. The child-protection inspection, November 2016
# =============================================================================================
t reports add "$CP" \
  --title "National child protection inspection: Metropolitan Police Service" \
  --by HMIC --subject "Metropolitan Police Service" --kind inspection \
  --published "$CP_DATE" --url "$REVIEW_PAGE" \
  --followup-every "3 months" --followup-from 2017-05-31 --followup-until 2018-02-28 \
  --figure "cases reviewed=374" \
  --figure "needing improvement or inadequate=278" \
  --figure "referred back=38" \
  --note "Date: Friday 25 November 2016. The Met's statement, released at 00:01 that day, calls the report published that day (mynewsdesk); the policing minister told the Commons the same day that HMIC had published it that day (Hansard, 25 November 2016, urgent question); HJA's commentary gives the same date. PA's story, via AOL, is dated the 24th. Fieldwork ran from February to May 2016 (HMICFRS's review page). Figures: 374 cases reviewed, 278 of them needing improvement or inadequate, 38 referred back at once (PA, 24 November 2016; HJA). Address: the url is HMICFRS's page for the 2019 review, which links this report as the original one and the four quarterly updates; the report's own page was not found. Items: F1-F8 are this ledger's summary of findings the report and its coverage describe; no source calls them formal causes of concern, so they are kind finding. R1-R9 are the recommendations as HMICFRS's 2021 assessment of progress lists them (four for immediate action, two within three months, three within six), in this ledger's words; the ledger reads “immediately” as the publication day. Which finding each recommendation relates to is this ledger's pairing. Schedule: the Home Secretary asked HMIC for quarterly updates (Hansard, 25 November 2016); four came, the last in February 2018 (HMICFRS's 2019 release); the expected dates are this ledger's reading. No response clock: the 56-day limit in Police Act 1996 s.55(5A) came into force on 2 May 2017 (Policing and Crime Act 2017 s.37; SI 2017/399 reg. 4), after this report; the duty to comment was, and is, the local policing body's (in London MOPAC), not the force's. The responses recorded here are the force's own acceptance. $ASSIGNED The one lead a source names is the Management Board lead, AC Martin Hewitt (Met statement)."

# --- findings (not formal causes of concern) ---
t add "$CP" --ref F1 --kind finding --priority high \
  --owner "MPS Management Board" --tag leadership --tag governance \
  --text "No chief officer held responsibility for child protection, a gap inspectors said they had not met in any other force; leadership of the work was lacking."
t add "$CP" --ref F2 --kind finding --priority high \
  --owner "AC Territorial Policing" --tag missing-children --tag child-sexual-exploitation \
  --text "Children who go missing from home again and again got a poor response, though going missing is a known warning sign of sexual exploitation."
t add "$CP" --ref F3 --kind finding --priority medium \
  --owner "MPS Management Board" --tag prioritisation --tag resources \
  --text "Cutting volume crime, burglary and criminal damage among it, took priority over protecting children."
t add "$CP" --ref F4 --kind finding --priority medium \
  --owner "MPS Head of Safeguarding" --tag training \
  --text "Officers and staff doing child-protection work had too little training for it."
t add "$CP" --ref F5 --kind finding --priority medium \
  --owner "AC Territorial Policing" --tag partnership --tag information-sharing --tag it-systems \
  --text "The force worked poorly with children's social care and health services and shared too little information with them; better IT alone would have helped, the report said."
t add "$CP" --ref F6 --kind finding --priority high \
  --owner "AC Specialist Crime & Operations" --tag investigation --tag case-handling \
  --text "Casework suffered from poor judgement, inconsistency and delay: 278 of the 374 cases reviewed were handled in a way that needed improvement or was inadequate."
t add "$CP" --ref F7 --kind finding --priority high \
  --owner "AC Specialist Crime & Operations" --tag immediate-risk --tag case-handling \
  --text "Inspectors sent 38 of the cases they reviewed straight back to the force, because children in them were still at risk."
t add "$CP" --ref F8 --kind finding --priority high --due "+12 months" \
  --owner "MPS Management Board" --tag leadership \
  --text "HMIC put its findings to the Met's senior leaders and said it expected to see major improvement within a year."

# --- recommendations (due: immediately = the publication day; then +3 and +6 months) ---
t add "$CP" --ref R1 --priority high --due "$CP_DATE" \
  --owner "MPS Management Board" --tag governance --tag oversight \
  --text "Put governance in place to oversee child-protection practice in borough and specialist teams alike; then make clear to officers and staff what a good service is and what is expected of them, and start building a performance framework that holds all of London to the same standard."
t add "$CP" --ref R2 --priority high --due "$CP_DATE" \
  --owner "AC Territorial Policing" --tag missing-children \
  --text "Respond better when children go missing from home."
t add "$CP" --ref R3 --priority high --due "$CP_DATE" \
  --owner "MPS Head of Safeguarding" --tag risk-awareness --tag child-sexual-exploitation \
  --text "Make officers and staff better at seeing and understanding the risks that children face."
t add "$CP" --ref R4 --priority high --due "$CP_DATE" \
  --owner "AC Specialist Crime & Operations" --tag offender-management \
  --text "Manage more effectively the people who present a risk to children."
t add "$CP" --ref R5 --priority high --due "+3 months" \
  --owner "AC Territorial Policing" --tag initial-response --tag investigation \
  --text "Plan better, and respond better at the outset, when child abuse or a child-protection concern is reported."
t add "$CP" --ref R6 --priority high --due "+3 months" \
  --owner "AC Specialist Crime & Operations" --tag investigation \
  --text "Investigate child-protection cases better."
t add "$CP" --ref R7 --priority medium --due "+6 months" \
  --owner "MPS Management Board" --tag resources --tag prioritisation \
  --text "Review how resources are deployed, so that the demand of child-protection work is better met."
t add "$CP" --ref R8 --priority medium --due "+6 months" \
  --owner "AC Territorial Policing" --tag custody --tag partnership \
  --text "Together with children's social care, review what happens when children are detained."
t add "$CP" --ref R9 --priority medium --due "+6 months" \
  --owner "MPS Head of Safeguarding" --tag training --tag skills \
  --text "Audit what skills and experience the staff doing safeguarding investigations have."

# --- the Met's response, 25 November 2016 ---
ACCEPTED="The Met accepted the inspection's findings: Assistant Commissioner Martin Hewitt said so on BBC Radio 4's Today programme on the day of publication (reported by The Guardian), and the Met's statement that day promised the changes needed."
AS_RESPONSE="The ledger reads acceptance of the findings as acceptance of this recommendation; no source gives a response to each one."
IMMEDIATE="Due date: the report asks for action at once; the ledger reads that as the publication day."
t update "$CP/F1" --date "$CP_DATE" --response accepted --status reported-complete --basis claimed \
  --source "force statement" --evidence "$MET_2016" --evidence "$GUARDIAN_2016" \
  --note "$ACCEPTED The same statement named a single Management Board lead, AC Martin Hewitt, to bring the work across London together: the force's own claim that the gap was closed."
for ref in F2 F3 F4 F5 F6 F8; do
  t update "$CP/$ref" --date "$CP_DATE" --response accepted --source "force statement" \
    --evidence "$MET_2016" --evidence "$GUARDIAN_2016" --note "$ACCEPTED"
done
t update "$CP/F7" --date "$CP_DATE" --response accepted --status reported-complete --basis claimed \
  --source "force statement" --evidence "$MET_2016" --evidence "$GUARDIAN_2016" \
  --note "$ACCEPTED The force said it had gone back over every case the inspectors examined, found no child at further risk and had charged or cautioned no one as a result: its own claim, not checked by a source found."
pair() {  # REF FINDING... : the response, with the ledger's pairing of the recommendation to findings
  local ref=$1; shift
  local extra="" related=()
  for f in "$@"; do related+=(--related "$CP/$f"); done
  case "$ref" in R1|R2|R3|R4) extra=" $IMMEDIATE" ;; esac
  t update "$CP/$ref" --date "$CP_DATE" --response accepted --source "force statement" \
    --evidence "$MET_2016" "${related[@]}" \
    --note "$ACCEPTED $AS_RESPONSE Linked to $(IFS=,; echo "$*" | sed 's/,/ and /g') by this ledger's pairing, not the report's.$extra"
}
pair R1 F1
pair R2 F2
pair R3 F2
pair R4 F6
pair R5 F6
pair R6 F6
pair R7 F3
pair R8 F5
pair R9 F4

# =============================================================================================
# 2. PEEL legitimacy 2016 (8 December 2016)
# =============================================================================================
t reports add "$LEG16" \
  --title "PEEL: Police legitimacy 2016 - Metropolitan Police Service" \
  --by HMIC --subject "Metropolitan Police Service" --kind peel \
  --published "$LEG16_DATE" --url "$LEG16_PAGE" \
  --grade "legitimacy=good" \
  --grade "workforce behaves ethically and lawfully=requires-improvement" \
  --figure "17-18-year-olds agreeing they would be treated fairly and with respect (%)=58" \
  --note "Date: 8 December 2016, the day the policing minister told Parliament that HMIC had published its legitimacy and leadership reports that day (Hansard written statement, 8 December 2016). Grades: legitimacy good (HMIC's PEEL 2016 page for the force; the Met's response accepts the good grade); requires improvement at making sure the workforce behaves ethically and lawfully (HMIC's legitimacy page for the force). Figure: 58% of 17-18-year-olds in the joint force and MOPAC youth survey agreed they would be treated fairly and with respect (legitimacy page). AFI1 and AFI2 are this ledger's numbering and wording of the vetting and counter-corruption points, which HMI Matt Parr repeated in his spring 2017 observations (see $PEEL16); F1 is a finding of the legitimacy page, also repeated there. No response clock: s.55(5A) was not yet in force. $ASSIGNED"
t add "$LEG16" --ref AFI1 --kind area-for-improvement --priority medium \
  --owner "AC Professionalism" --tag vetting --tag integrity \
  --text "Bring the force's vetting into line with national vetting policy."
t add "$LEG16" --ref AFI2 --kind area-for-improvement --priority medium \
  --owner "AC Professionalism" --tag counter-corruption --tag integrity --tag capacity \
  --text "Build enough counter-corruption capacity to pursue every piece of actionable intelligence that comes in."
t add "$LEG16" --ref F1 --kind finding --priority low \
  --owner "AC Territorial Policing" --tag engagement --tag confidence \
  --text "Each borough has a confidence plan to guide local engagement, but not every officer inspectors met knew what theirs said."
LEG16_UNDATED="The statement is undated; the ledger dates it to the report's publication, an approximate date."
t update "$LEG16/AFI1" --date "$LEG16_DATE" --response accepted --source "force statement" --evidence "$MET_LEG16" \
  --note "The Met accepted the report's findings and its overall good grade and said it was already acting on them. $LEG16_UNDATED"
t update "$LEG16/AFI2" --date "$LEG16_DATE" --response accepted --source "force statement" --evidence "$MET_LEG16" \
  --note "Ch Supt Matt Gardner of the Met's professional standards directorate accepted the findings on counter-corruption and said ways forward were being worked out, while calling it a challenge for the force's current resources. $LEG16_UNDATED"
t update "$LEG16/F1" --date "$LEG16_DATE" --response accepted --source "force statement" --evidence "$MET_LEG16" \
  --note "Covered by the Met's acceptance of the report's findings; the statement does not mention the confidence plans. $LEG16_UNDATED"

# =============================================================================================
# 3. PEEL effectiveness 2016 (2 March 2017)
# =============================================================================================
t reports add "$EFF16" \
  --title "PEEL: Police effectiveness 2016 - Metropolitan Police Service" \
  --by HMIC --subject "Metropolitan Police Service" --kind peel \
  --published "$EFF16_DATE" --url "$EFF16_PAGE" \
  --grade "effectiveness=requires-improvement" \
  --grade "preventing crime and anti-social behaviour=good" \
  --grade "investigating crime and reducing re-offending=requires-improvement" \
  --grade "protecting vulnerable people=inadequate" \
  --grade "serious and organised crime=requires-improvement" \
  --note "Date: Thursday 2 March 2017: HMICFRS's recommendation tracker opens its entry for the cause of concern on that day, and Fiona Simpson's report of the Met's reply (via Yahoo News) has it published on the Thursday. Grades: overall requires improvement, protecting vulnerable people inadequate, serious and organised crime requires improvement (Fiona Simpson's report, 2 March 2017); preventing crime good (HMIC's effectiveness page for the force); investigating crime requires improvement (the same report says the force was told to improve it). C1 and R1 are HMIC's cause of concern and the recommendation for immediate action that answers it, as the tracker pairs them, in this ledger's words; AFI1 is this ledger's summary of the serious and organised crime areas for improvement, which PEEL 2017 refers back to; AFI2-AFI4 are the problem-solving areas for improvement on HMIC's effectiveness page, in this ledger's words; F1-F3 are findings reported in the coverage. No response clock: s.55(5A) was not yet in force. $ASSIGNED"
t add "$EFF16" --ref C1 --kind cause-of-concern --priority high \
  --owner "MPS Management Board" --tag vulnerability \
  --text "HMIC named as a cause of concern how the force protects vulnerable people and supports victims: its many shortcomings, taken together, gave vulnerable people a poor service and left victims at risk."
t add "$EFF16" --ref R1 --answers C1 --priority high --due "$EFF16_DATE" \
  --owner "MPS Management Board" --tag vulnerability --tag domestic-abuse --tag missing-children \
  --text "Improve services to vulnerable people without delay: learn how many children go missing or absent and how much domestic abuse there is; flag mental-health incidents; make sure frontline officers can recognise every kind of vulnerability; complete, check and supervise domestic abuse risk assessments (DASH) better; find out why specialist teams still have training gaps and close them; make more use of domestic violence protection orders and notices and of Clare's Law; and run the multi-agency safeguarding hubs in a more consistent way."
t add "$EFF16" --ref AFI1 --kind area-for-improvement --priority medium \
  --owner "AC Specialist Crime & Operations" --tag serious-organised-crime --tag partnership \
  --text "Tackle serious and organised crime with the help of other organisations' data, such as local authorities', and of neighbourhood teams, not the force's own intelligence alone."
t add "$EFF16" --ref AFI2 --kind area-for-improvement --priority medium \
  --owner "AC Territorial Policing" --tag neighbourhood-policing --tag problem-solving --tag partnership \
  --text "Have local policing teams engage with their communities as a matter of routine and solve problems in a structured way with partner organisations, to prevent crime and anti-social behaviour."
t add "$EFF16" --ref AFI3 --kind area-for-improvement --priority medium \
  --owner "AC Territorial Policing" --tag problem-solving \
  --text "Adopt one structured, consistent way of solving problems, to tackle crime and anti-social behaviour better."
t add "$EFF16" --ref AFI4 --kind area-for-improvement --priority low \
  --owner "AC Territorial Policing" --tag problem-solving --tag evaluation \
  --text "Evaluate problem-solving and prevention work and pass on what works."
t add "$EFF16" --ref F1 --kind finding --priority high \
  --owner "AC Territorial Policing" --tag missing-children --tag child-sexual-exploitation \
  --text "The force did not understand well enough how children going missing is linked to their sexual exploitation."
t add "$EFF16" --ref F2 --kind finding --priority medium \
  --owner "AC Territorial Policing" --tag investigation \
  --text "Some investigations, including their first stages, were not good enough."
t add "$EFF16" --ref F3 --kind finding --priority medium \
  --owner "AC Territorial Policing" --tag offender-management \
  --text "The management of offenders needed to improve."
t update "$EFF16/C1" --date "$EFF16_DATE" --status in-progress --basis claimed --source "force statement" --evidence "$ES_2017" \
  --note "The Met said the report repeated what HMIC's autumn 2016 child-protection inspection had found and that it was already changing how it works with vulnerable people, children among them (Fiona Simpson's report). The force's own account: no source had checked it."
t update "$EFF16/F1" --date "$EFF16_DATE" --status in-progress --basis claimed --source "force statement" --evidence "$ES_2017" \
  --related "$CP/F2" \
  --note "The child-protection inspection had found the same gap (see $CP/F2, a link this ledger makes); the Met said it was already acting on that inspection's findings."
t update "$EFF16/AFI1" --date "$EFF16_DATE" --source "force statement" --evidence "$ES_2017" \
  --note "The Met disagreed with the judgement on serious and organised crime: it pointed to the praise in the report for its work against organised crime and gangs, said intelligence sharing was improving and specialist detectives were being placed alongside frontline teams, and complained that the report ignored the budget pressures behind its priorities (Fiona Simpson's report). No response to the area for improvement is recorded."

# =============================================================================================
# 4. PEEL 2016 assessment: the HMI's observations on the force (12 April 2017)
# =============================================================================================
t reports add "$PEEL16" \
  --title "PEEL 2016 assessment: Metropolitan Police Service (HMI's observations)" \
  --by HMIC --subject "Metropolitan Police Service" --kind peel \
  --published "$PEEL16_DATE" --url "$PEEL16_PAGE" \
  --grade "effectiveness=requires-improvement" \
  --grade "efficiency=good" \
  --grade "legitimacy=good" \
  --note "Date: Wednesday 12 April 2017, the day press coverage of that date gives for HMIC's publication of the PEEL 2016 assessments (found by an earlier check of this ledger; not found again, and HMIC's page for the force gives no day), so treat the day as approximate. It fits the text, which calls the Westminster attack of 22 March 2017 recent. Grades: effectiveness requires improvement, efficiency good, legitimacy good (HMIC's PEEL 2016 page for the force; the efficiency grade dates from 3 November 2016 there). HMI Matt Parr repeats the child-protection findings, the vetting and counter-corruption findings (see $LEG16) and the borough confidence plans (see $LEG16/F1); F1-F3 are further findings of his, in this ledger's words. No response clock: s.55(5A) was not yet in force. $ASSIGNED"
t add "$PEEL16" --ref F1 --kind finding --priority medium \
  --owner "MPS Management Board" --tag detectives --tag investigation --tag workforce \
  --text "The force was short of trained detectives, and the first stages of its investigations were a concern."
t add "$PEEL16" --ref F2 --kind finding --priority low \
  --owner "AC Territorial Policing" --tag efficiency --tag initial-response \
  --text "Officers first on the scene could judge better how likely a crime is to be solved, weighed against how serious it is."
t add "$PEEL16" --ref F3 --kind finding --priority low \
  --owner "AC Professionalism" --tag well-being --tag workforce \
  --text "The force had invested in well-being and welfare support for its people and accepted that it must apply it more evenly."

# =============================================================================================
# 5. The four quarterly progress updates, 2017-18
# =============================================================================================
t reports add "$Q1" \
  --title "National child protection inspection: post-inspection quarter 1 update" \
  --by HMIC --subject "Metropolitan Police Service" --kind follow-up --follows "$CP" \
  --published "$Q1_DATE" --url "$REVIEW_PAGE" \
  --note "Date approximate: no source found gives the day. The ledger uses late May 2017, in keeping with quarterly reports through 2017 and with the second update, covering April to June, appearing on 10 August 2017. Issued by HMIC (renamed HMICFRS on 19 July 2017), as that timing implies. Police Professional (14 August 2017) says that by June the force had put senior officers over child protection and set up an operation for child sexual exploitation, missing children and welfare cases, which the ledger takes to be this update's findings. Address: HMICFRS's review page, which links the four updates; the update's own page was not found."
Q1_READING="Ledger's reading of the first update, as Police Professional summarised it on 14 August 2017; the update's date, late May 2017, is approximate."
t update "$CP/R1" --date "$Q1_DATE" --status in-progress --basis assessed --source "$Q1" --evidence "$PP_Q2" \
  --note "$Q1_READING Senior officers had been put in charge of child protection: governance work had begun."
t update "$CP/R2" --date "$Q1_DATE" --status in-progress --basis assessed --source "$Q1" --evidence "$PP_Q2" \
  --note "$Q1_READING An operation covering child sexual exploitation and missing children had been set up."

t reports add "$Q2" \
  --title "National child protection inspection: post-inspection quarter 2 update" \
  --by HMICFRS --subject "Metropolitan Police Service" --kind follow-up --follows "$CP" \
  --published "$Q2_DATE" --url "$REVIEW_PAGE" \
  --figure "further case files audited by the force=170" \
  --note "Date: Thursday 10 August 2017 (Police Professional, 14 August 2017, says the second update was published then; PA's story, via AOL, is dated the same day). It covered the three months to the end of June 2017. Figure: the force's own audit team had examined a further 170 case files and given its findings to the inspectorate (PA). The update found a commander appointed to lead safeguarding of children and adults and a new safeguarding board (Police Professional). Address: HMICFRS's review page, which links the four updates; the update's own page was not found."
t update "$CP/F6" --date "$Q2_DATE" --status in-progress --basis assessed --source "$Q2" --evidence "$PA_Q2" \
  --note "The update found no significant improvement yet in the quality of investigations or of decisions, though some encouraging progress elsewhere. Ledger's reading: work under way, not yet effective."
t update "$CP/R5" --date "$Q2_DATE" --status in-progress --basis assessed --source "$Q2" --evidence "$PA_Q2" \
  --note "Victims were still visited late. Ledger's reading: work under way."
t update "$CP/R6" --date "$Q2_DATE" --status in-progress --basis assessed --source "$Q2" --evidence "$PA_Q2" \
  --note "Child sexual exploitation investigations still had flaws: investigators not talking to one another, confusion about what mattered most in a case, actions missed or late, suspects not traced. Ledger's reading: work under way."
t update "$CP/R2" --date "$Q2_DATE" --source "$Q2" --evidence "$PA_Q2" \
  --note "Delays still held up the tracing of missing children."
t update "$CP/F2" --date "$Q2_DATE" --status in-progress --basis assessed --source "$Q2" --evidence "$PA_Q2" \
  --note "Ledger's reading: followed through R2 and R3; tracing missing children was still delayed."
t update "$CP/R1" --date "$Q2_DATE" --source "$Q2" --evidence "$PP_Q2" \
  --note "A commander now led on safeguarding children and adults, under a new safeguarding board."

t reports add "$Q3" \
  --title "National child protection inspection: post-inspection quarter 3 update" \
  --by HMICFRS --subject "Metropolitan Police Service" --kind follow-up --follows "$CP" \
  --published "$Q3_DATE" --url "$REVIEW_PAGE" \
  --figure "cases reviewed=135" --figure "good=10" \
  --figure "requires improvement=64" --figure "inadequate=61" \
  --note "Date reported as 24 November 2017 by a blog post of 27 November 2017 (researchingreform.net); not confirmed from HMICFRS, so treat the day as approximate. Figures: 135 cases reviewed, 10 handled well, 64 needing improvement, 61 inadequate (The Guardian's report of the update, copied at breakingnewstime.com). The cases covered domestic abuse, police powers to protect children, the management of sex offenders, missing children, child sexual exploitation and children held in custody. Address: HMICFRS's review page, which links the four updates; the update's own page was not found."
Q3_DAY="Dated 24 November 2017, the update's approximate date."
t update "$CP/R1" --date "$Q3_DATE" --source "$Q3" --evidence "$BLOG_Q3" \
  --note "$Q3_DAY HMI Matt Parr said governance of child protection had kept improving, but cases showed the intent had not yet become a better service for children. The ledger keeps the status at in-progress."
t update "$CP/F6" --date "$Q3_DATE" --source "$Q3" --evidence "$GUARDIAN_Q3" \
  --note "$Q3_DAY “Just under 93% demonstrated policing practice that either needed improvement or was inadequate” (the update, quoted by The Guardian): 125 of 135 cases."
t update "$CP/R7" --date "$Q3_DATE" --source "$Q3" --evidence "$GUARDIAN_Q3" \
  --note "$Q3_DAY Coverage put the continuing problems partly down to officers' heavy workloads. No completed review of resourcing is recorded in the sources used."
t update "$CP/R8" --date "$Q3_DATE" --source "$Q3" --evidence "$BLOG_Q3" \
  --note "$Q3_DAY Children held in custody were among the cases inspectors looked at. No outcome of a joint review with social care is recorded in the sources used."

# --- HMICFRS's recommendation tracker, January 2018 ---
t update "$CP/R1" --date "$TRACKER_R1_DATE" --status in-progress --basis assessed \
  --source "HMICFRS recommendation tracker" --evidence "$TRACKER_R1" \
  --note "HMICFRS's tracker gives this recommendation the status “being progressed” on 26 January 2018, with the comment that the force was working on it and HMICFRS awaited an update. Recorded as in-progress, as that source gives it; the tracker does not say inspectors had checked the work."

t reports add "$Q4" \
  --title "National child protection inspection: post-inspection quarter 4 update" \
  --by HMICFRS --subject "Metropolitan Police Service" --kind follow-up --follows "$CP" \
  --published "$Q4_DATE" --url "$Q4_NEWS" \
  --figure "cases reviewed=214" --figure "needing improvement or inadequate=191" \
  --note "Date: Thursday 22 February 2018 (the Met's response of that day says the update was published that day; PA's story is dated the same day). HMICFRS's 2019 release gives only the month. Figures: 214 cases reviewed, 191 of them requiring improvement or inadequate (HMICFRS's release; PA). The last of the four updates: progress in several important areas, with new structures, training and oversight, but many changes too recent to show in consistently better outcomes (HMICFRS's release). The url is HMICFRS's release for the update, which links it."
t update "$CP/F1" --date "$Q4_DATE" --status implemented --basis verified --source "$Q4" \
  --note "HMICFRS's release lists the appointment of a named officer lead for child protection among the improvements it found."
t update "$CP/R1" --date "$Q4_DATE" --source "$Q4" \
  --note "A team now checks, and reports on, the quality of decisions in child-protection cases as a matter of routine (HMICFRS's release)."
t update "$CP/R4" --date "$Q4_DATE" --status partially-implemented --basis assessed --source "$Q4" \
  --note "A new system tells officers about the registered sex offenders living in their areas (HMICFRS's release). Ledger's reading: partly done."
t update "$CP/F4" --date "$Q4_DATE" --status in-progress --basis assessed --source "$Q4" \
  --note "New training was in evidence, but too recent to show in outcomes. Ledger's reading: work under way."
t update "$CP/R3" --date "$Q4_DATE" --status in-progress --basis assessed --source "$Q4" \
  --note "Ledger's reading: new training was in evidence by the last update."
t update "$CP/R9" --date "$Q4_DATE" --status in-progress --basis assessed --source "$Q4" \
  --note "Ledger's reading: training was in evidence; no source used says whether the skills audit was done."
t update "$CP/F6" --date "$Q4_DATE" --source "$Q4" --evidence "$PA_Q4" \
  --note "191 of 214 cases reviewed needed improvement or were inadequate; poor investigation and weak supervision undermined some, and in places the volume of work led to “delays and drift” (the update, quoted by PA)."
t update "$CP/F7" --date "$Q4_DATE" --source "force statement" --evidence "$MET_Q4" \
  --note "The Met said it had acted in every case where it or the inspectorate had found a safeguarding risk not properly dealt with (its response of 22 February 2018)."
t update "$CP/F8" --date "$Q4_DATE" --status in-progress --basis assessed --source "$Q4" --evidence "$REVIEW_NEWS" \
  --note "A year on, HMICFRS found progress in some important areas but not yet consistently good outcomes for children, and committed to inspecting again in 2018. Ledger's reading: the major improvement expected within a year had not yet come."

# =============================================================================================
# 6. PEEL 2017: efficiency (November 2017), legitimacy (December 2017), effectiveness (March 2018)
# =============================================================================================
t reports add "$EFFY17" \
  --title "PEEL: Police efficiency 2017 - Metropolitan Police Service" \
  --by HMICFRS --subject "Metropolitan Police Service" --kind peel \
  --published "$EFFY17_DATE" --url "$PEEL17_PAGE" \
  --response-within "56 days" --response-from "$MOPAC" \
  --grade "efficiency=requires-improvement" \
  --grade "understanding current and likely future demand=requires-improvement" \
  --figure "999 calls answered within target, April 2017 (%)=83" \
  --figure "101 calls answered within target, April 2017 (%)=26" \
  --note "Date: 9 November 2017 (HMICFRS's PEEL 2017 page for the force: efficiency last updated 09/11/2017). Grades: efficiency requires improvement, down from good in 2016; requires improvement in understanding current and likely future demand (the same page). Figures: in April 2017, 83% of 999 calls and 26% of 101 calls were answered within target, against a target of 90% for each (the report, as the Metropolitan Police Federation's news item reports it, citing PoliceOracle). F1 and F2 are this ledger's summary. The url is HMICFRS's PEEL 2017 page for the force, which holds the efficiency findings. $CLOCK_2017 $ASSIGNED"
t add "$EFFY17" --ref F1 --kind finding --priority medium \
  --owner "MPS Management Board" --tag demand --tag efficiency \
  --text "The force did not yet understand well enough the demand it faces now and is likely to face."
t add "$EFFY17" --ref F2 --kind finding --priority high \
  --owner "AC Territorial Policing" --tag call-handling --tag efficiency \
  --text "Calls for help were not answered quickly enough: in April 2017, 83% of 999 calls and 26% of 101 calls met the 90% target time, with the communications command short of staff."

t reports add "$LEG17" \
  --title "PEEL: Police legitimacy 2017 - Metropolitan Police Service" \
  --by HMICFRS --subject "Metropolitan Police Service" --kind peel --follows "$LEG16" \
  --published "$LEG17_DATE" --url "$LEG17_PAGE" \
  --response-within "56 days" --response-from "$MOPAC" \
  --grade "legitimacy=good" \
  --grade "fair and respectful treatment of the public=good" \
  --grade "workforce behaves ethically and lawfully=good" \
  --grade "fair and respectful treatment of the workforce=requires-improvement" \
  --note "Date: 12 December 2017 (HMICFRS's legitimacy page for the force, last updated 12/12/2017). Grades (the same page): legitimacy good, as in 2016; good at treating the public fairly and with respect and at making sure the workforce behaves ethically and lawfully; the page judges the force “requiring improvement in some elements of treating its workforce with fairness and respect”, which this ledger records as that question's grade. The questions' names are this ledger's short forms. F1 is this ledger's wording of that finding. $CLOCK_2017 $ASSIGNED"
t add "$LEG17" --ref F1 --kind finding --priority medium \
  --owner "AC Professionalism" --tag workforce --tag fairness \
  --text "Parts of how the force treats its own officers and staff, fairly and with respect, needed to improve."
t update "$LEG16/AFI1" --date "$LEG17_DATE" --status in-progress --basis assessed --source "$LEG17" \
  --note "The force had a plan, which inspectors judged achievable, to re-vet its people and bring all vetting up to date. Ledger's reading: work under way."
t update "$LEG16/AFI2" --date "$LEG17_DATE" --status partially-implemented --basis assessed --source "$LEG17" \
  --note "Inspectors found good progress on the other areas for improvement of the 2016 legitimacy report, and the grade for ethical and lawful behaviour rose to good. Ledger's reading: partly done."

t reports add "$EFF17" \
  --title "PEEL: Police effectiveness 2017 - Metropolitan Police Service" \
  --by HMICFRS --subject "Metropolitan Police Service" --kind peel --follows "$EFF16" \
  --published "$EFF17_DATE" --url "$EFF17_PAGE" \
  --grade "effectiveness=requires-improvement" \
  --note "Date: 22 March 2018 (HMICFRS's effectiveness page for the force, last updated 22/03/2018; the report is dated March 2018). Grade: effectiveness requires improvement, though better than in 2016 (the same page). A risk-based inspection: not every 2016 question was inspected again, and the 2016 grades stand where it was not. Its findings are recorded against the 2016 items they speak to; it has no items of its own, so the ledger sets no response clock on it, though s.55(5A) applied."
t update "$EFF16/C1" --date "$EFF17_DATE" --status in-progress --basis assessed --source "$EFF17" \
  --note "Inspectors saw better handling of vulnerable victims, domestic abuse victims above all, but the force still had to work better with other agencies to keep victims safe. Ledger's reading: work under way, not done."
t update "$EFF16/R1" --date "$EFF17_DATE" --status in-progress --basis assessed --source "$EFF17" \
  --note "As for C1: improvements for domestic abuse victims, more to do with other agencies. Ledger's reading: work under way."
t update "$EFF16/AFI1" --date "$EFF17_DATE" --status implemented --basis assessed --source "$EFF17" \
  --note "The force had responded well to the 2016 areas for improvement on serious and organised crime: it understood the threat better and managed organised crime groups well. Ledger's reading: done; HMICFRS did not say it had closed them."
t update "$EFF16/AFI2" --date "$EFF17_DATE" --status in-progress --basis assessed --source "$EFF17" \
  --note "Inspectors found some good use of problem-solving to prevent crime. Ledger's reading: work under way."
t update "$EFF16/AFI3" --date "$EFF17_DATE" --status in-progress --basis assessed --source "$EFF17" \
  --note "Problem-solving was in use in places; the sources do not say whether one approach was adopted force-wide. Ledger's reading: work under way."
t update "$EFF16/AFI4" --date "$EFF17_DATE" --source "$EFF17" \
  --note "Little evaluation was done, so officers could not learn from what had gone before."
t update "$EFF16/F2" --date "$EFF17_DATE" --source "$EFF17" \
  --note "Investigation still needed to improve: the many unfilled detective posts were harming its quality."
t update "$PEEL16/F1" --date "$EFF17_DATE" --status in-progress --basis assessed --source "$EFF17" \
  --note "The force was still struggling to fill a large number of detective vacancies, despite some inventive recruiting. Ledger's reading: work under way. (The finding itself is dated 12 April 2017, an approximate date.)"
t update "$CP/F5" --date "$EFF17_DATE" --source "$EFF17" \
  --note "PEEL 2017 still asked the force to work better with other agencies to safeguard victims."

# --- HMICFRS's recommendation tracker, August 2018 ---
TRACKER_EFF_NOTE="HMICFRS's tracker entry for the 2016 cause of concern and its recommendation moves to “being progressed” on 6 August 2018, with an update on the force's work on mental-health data that reads as the force's own account. Recorded as in-progress, as that source gives it, not as partly done."
t update "$EFF16/C1" --date "$TRACKER_EFF_DATE" --status in-progress --basis assessed \
  --source "HMICFRS recommendation tracker" --evidence "$TRACKER_EFF" --note "$TRACKER_EFF_NOTE"
t update "$EFF16/R1" --date "$TRACKER_EFF_DATE" --status in-progress --basis assessed \
  --source "HMICFRS recommendation tracker" --evidence "$TRACKER_EFF" --note "$TRACKER_EFF_NOTE"

# =============================================================================================
# 7. The post-inspection review (fieldwork October 2018, published March 2019)
# =============================================================================================
t reports add "$REVIEW" \
  --title "National child protection post-inspection review: Metropolitan Police Service" \
  --by HMICFRS --subject "Metropolitan Police Service" --kind review --follows "$CP" \
  --published "$REVIEW_DATE" --url "$REVIEW_PAGE" \
  --response-within "56 days" --response-from "$MOPAC" --revisit-by "within 12 months" \
  --figure "cases audited=303" --figure "good=93" --figure "requires improvement=127" --figure "inadequate=83" \
  --figure "online cases examined=34" --figure "online cases inadequate or requiring improvement=29" \
  --figure "online cases referred back=15" \
  --note "Date: 28 March 2019 (HMICFRS's publication page). Fieldwork 8-19 October 2018 (the report's cover). Figures: of 303 cases audited, 93 good, 127 requiring improvement, 83 inadequate; of 34 online child abuse cases examined, 29 inadequate or requiring improvement, 15 of them sent back to the force (BBC News, 28 March 2019; the online figures also in Vulnerability360's report). Oversight of child protection was better and more effective, but outcomes for children at risk had not consistently improved (HMICFRS's release). HMICFRS made one further recommendation, on online child abuse and exploitation: R10 is this ledger's summary of it (the wording of the recommendation was not found), numbered to follow R1-R9; F1 is the review's finding that prompted it. HMICFRS promised to revisit within a year, to give the force time to finish a major restructure; its next published assessment came in September 2021 (see $PROGRESS). $CLOCK_2017 $ASSIGNED"
t add "$REVIEW" --ref F1 --kind finding --priority high \
  --owner "AC Specialist Crime & Operations" --tag online-abuse --tag capacity \
  --text "Online child abuse and exploitation cases were swamping the force: specialist teams were too small, work was piling up and resources were stretched, so victims did not get the service they needed. Of 34 online cases examined, 29 were inadequate or needed improvement and 15 were sent back."
t add "$REVIEW" --ref R10 --priority high \
  --owner "AC Specialist Crime & Operations" --tag online-abuse \
  --text "Improve how the force deals with online child abuse and exploitation."
t update "$CP/R1" --date "$REVIEW_DATE" --status partially-implemented --basis assessed --source "$REVIEW" --evidence "$REVIEW_NEWS" \
  --note "The review found oversight of child-protection practice across the force better and more effective, but outcomes for children not yet consistently better. Ledger's reading: the governance asked for is in place, the consistent standard is not."
t update "$CP/F6" --date "$REVIEW_DATE" --source "$REVIEW" --evidence "$REVIEW_NEWS" --evidence "$BBC_2019" \
  --note "Outcomes for children at risk of harm had still not consistently improved, and delays remained too many. Of 303 cases audited, 210 were inadequate or needed improvement (BBC News)."
t update "$CP/R4" --date "$REVIEW_DATE" --source "$REVIEW" --evidence "$BBC_2019" \
  --note "In some areas each officer was managing more than 100 registered sex offenders (BBC News)."
t update "$CP/F8" --date "$REVIEW_DATE" --source "$REVIEW" --evidence "$REVIEW_NEWS" \
  --note "More than two years on, HMICFRS judged the actual protection given to children not yet improved enough."

# =============================================================================================
# 8. HMICFRS's assessment of progress (September 2021)
# =============================================================================================
t reports add "$PROGRESS" \
  --title "National child protection inspection: assessment of progress, Metropolitan Police Service" \
  --by HMICFRS --subject "Metropolitan Police Service" --kind follow-up --follows "$CP" --follows "$REVIEW" \
  --published "$PROGRESS_DATE" --url "$PROGRESS_PAGE" \
  --figure "cases audited=170" --figure "good=54" --figure "requires improvement=63" --figure "inadequate=53" \
  --note "Date: 1 September 2021 (Police Professional's report of that day; LBC's, timed 00:01 that day); HMICFRS's own page for it gives no date in the copy read. HMICFRS's 2021 assessment of the force's progress on the recommendations and findings of its 2016, 2017 and 2018 child-protection inspections. Figures: of 170 cases audited, 54 good, 63 requiring improvement, 53 inadequate (Police Professional). HMICFRS found progress in some areas, at times slow: more staff managing registered sex offenders, and better recognition of the needs of vulnerable children brought into custody; it still had acute concerns about online abuse investigations, delays in loading images onto the national child abuse image database and in forensic examination of devices, and some staff without the right experience or specialist training (HMICFRS's release). Statuses are recorded for the items the release speaks to; the rest get a note saying the summary read gives no verdict on them, so their overdue figures run on from their original due dates. It holds no items of its own, so the ledger sets no response clock on it."
PROGRESS_NONE="HMICFRS's 2021 assessment of progress covered the 2016 recommendations and findings; its release and the coverage read for this ledger give no verdict on this one, so the status stays as last recorded."
t update "$CP/R4" --date "$PROGRESS_DATE" --source "$PROGRESS" --evidence "$PROGRESS_NEWS" \
  --note "More staff were now managing registered sex offenders (HMICFRS's release). The ledger keeps the status at partially-implemented."
t update "$CP/R8" --date "$PROGRESS_DATE" --status in-progress --basis assessed --source "$PROGRESS" --evidence "$PROGRESS_NEWS" --evidence "$PP_2021" \
  --note "The force recognised better the needs of vulnerable children brought into custody (HMICFRS's release), but some children in custody were still not moved into care quickly enough (Police Professional). Ledger's reading: work under way."
t update "$CP/R9" --date "$PROGRESS_DATE" --source "$PROGRESS" --evidence "$PROGRESS_NEWS" \
  --note "Some officers and staff still lacked the right experience and had not had specialist training in child abuse investigation (HMICFRS's release)."
t update "$CP/F4" --date "$PROGRESS_DATE" --source "$PROGRESS" --evidence "$PROGRESS_NEWS" \
  --note "Some officers and staff still had no specialist child abuse investigation training (HMICFRS's release)."
t update "$REVIEW/R10" --date "$PROGRESS_DATE" --source "$PROGRESS" --evidence "$PROGRESS_NEWS" --evidence "$LBC_2021" \
  --note "“Online investigations remain an acute concern” (the assessment, quoted by LBC). Images were loaded onto the national database late, devices waited long for forensic examination, and some investigators held back from telling children's social care about a child living with a suspect so as not to harm the investigation (HMICFRS's release)."
t update "$REVIEW/F1" --date "$PROGRESS_DATE" --source "$PROGRESS" --evidence "$PROGRESS_NEWS" \
  --note "HMICFRS still had acute concerns about how the force investigates online abuse and the viewing and sharing of indecent images of children."
t update "$CP/F6" --date "$PROGRESS_DATE" --source "$PROGRESS" --evidence "$PP_2021" \
  --note "Of 170 cases audited, 116 were inadequate or needed improvement (Police Professional). Staff spoke of heavy workloads and a shortage of experienced detectives."
for ref in R1 R2 R3 R5 R6 R7 F8; do
  t update "$CP/$ref" --date "$PROGRESS_DATE" --source "$PROGRESS" --evidence "$PROGRESS_NEWS" --note "$PROGRESS_NONE"
done
