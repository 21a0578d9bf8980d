#!/usr/bin/env bash
# Build the example ledger data/met-police/ from scratch, using only `track` commands.
#
#   bash data/build-met-police.sh        (from the repo root, with `track` on PATH)
#
# The ledger follows HMIC's 2016 child-protection inspection of the Metropolitan Police
# Service, the four quarterly progress updates of 2017-18, the post-inspection review
# (fieldwork October 2018, published March 2019), and the 2016 and 2017 PEEL findings on the
# force. All text is written for this ledger; refs such as C1, R1 and AFI1 are the ledger's
# own numbering of the findings as they were reported. Where a date is not confirmed by a
# source, the report's note says so. Statuses that are the ledger's reading of a report,
# rather than the report's own words, say so in their note.
#
# TRACK_TODAY pins "today" (the `entered` field), so that a rebuild is identical byte for byte.
set -euo pipefail
export TRACK_TODAY=2026-11-25

cd "$(dirname "$0")/.."
LEDGER=data/met-police
t() { track --ledger "$LEDGER" "$@"; }

rm -rf "$LEDGER"
track init --name met-police "$LEDGER"

# --- report ids and dates ------------------------------------------------------------------
CP=hmic-2016-met-cp
CP_PUBLISHED=2016-11-25     # the Met's statement of 25 Nov 2016: "published today, 25 November 2016"
Q1=hmic-2017-met-cp-q1
Q1_DATE=2017-05-25          # approximate: no source gives the day
Q2=hmicfrs-2017-met-cp-q2
Q2_DATE=2017-08-10          # approximate: date of the press coverage
Q3=hmicfrs-2017-met-cp-q3
Q3_DATE=2017-11-24          # reported by one blog post; not confirmed by HMICFRS
Q4=hmicfrs-2018-met-cp-q4
Q4_DATE=2018-02-22          # the Met's statement: "Today, Thursday, 22 February"
REVIEW=hmicfrs-2019-met-cp-review
REVIEW_DATE=2019-03-28      # HMICFRS publication page
LEG16=peel-2016-met-legitimacy
LEG16_DATE=2016-12-08       # approximate: late 2016, day not confirmed
EFF16=peel-2016-met-effectiveness
EFF16_DATE=2017-03-02       # HMIC force press releases page, "Published on: 2 March 2017"
PEEL16=peel-2016-met
PEEL16_DATE=2017-04-30      # approximate: spring 2017, after the 22 March 2017 Westminster attack
LEG17=peel-2017-met-legitimacy
LEG17_DATE=2017-12-12       # Police Federation news of that day; HMICFRS page updated 12/12/2017
EFF17=peel-2017-met-effectiveness
EFF17_DATE=2018-03-22       # HMICFRS page for the force updated 22/03/2018; report dated March 2018

MET_STATEMENT_2016=http://www.mynewsdesk.com/uk/metpoliceuk/news/met-response-to-hmic-report-about-child-protection-201323

# =============================================================================================
# 1. The child-protection inspection, November 2016
# =============================================================================================
t reports add "$CP" \
  --title "National child protection inspection: Metropolitan Police Service" \
  --by HMIC --subject "Metropolitan Police Service" --kind inspection \
  --published "$CP_PUBLISHED" \
  --response-within "56 days" \
  --followup-every "3 months" --followup-from 2017-05-31 --followup-until 2018-02-28 \
  --figure "cases reviewed=374" \
  --figure "needing improvement or inadequate=278" \
  --figure "referred back=38" \
  --note "Published Friday 25 November 2016: the Met's statement of that day calls it 'published today, 25 November 2016', and HMICFRS's recommendation record for it starts on that date; press coverage began on Thursday 24th. Inspectors found none of the borough or specialist teams they looked at was protecting children well enough. C1-C7 are the concerns the report and its coverage named; R1-R9 are its recommendations as HMICFRS later summarised them (four for immediate action, two within three months, three within six). The follow-up schedule is the ledger's reading of the Home Secretary's request for quarterly progress reports through 2017, the fourth of which came in February 2018: one expected by 31 May, 31 August and 30 November 2017 and by 28 February 2018. Owners are the ledger's assignment to Met portfolios; the sources name none except the Management Board lead."

# --- causes of concern ---
t add "$CP" --ref C1 --kind cause-of-concern --priority high \
  --owner "MPS Management Board" --tag leadership --tag governance \
  --text "No chief officer was responsible for child protection: the first force in which inspectors had met this gap, and part of a wider lack of leadership of the work."
t add "$CP" --ref C2 --kind cause-of-concern --priority high \
  --owner "AC Territorial Policing" --tag missing-children --tag child-sexual-exploitation \
  --text "Children who repeatedly go missing from home got a poor response, notably given the well-known link between going missing and sexual exploitation."
t add "$CP" --ref C3 --kind cause-of-concern --priority medium \
  --owner "MPS Management Board" --tag prioritisation --tag resources \
  --text "Volume crime such as burglary and criminal damage was given more weight than protecting children."
t add "$CP" --ref C4 --kind cause-of-concern --priority medium \
  --owner "MPS Head of Safeguarding" --tag training \
  --text "Officers and staff doing child-protection work had not been trained enough for it."
t add "$CP" --ref C5 --kind cause-of-concern --priority medium \
  --owner "AC Territorial Policing" --tag partnership --tag information-sharing --tag it-systems \
  --text "Joint working and information sharing with children's social care and health services were poor; HMIC said better IT systems alone could improve them."
t add "$CP" --ref C6 --kind cause-of-concern --priority high \
  --owner "AC Specialist Crime & Operations" --tag investigation --tag case-handling \
  --text "Cases showed serious errors of judgement, inconsistency and unacceptable delays: 278 of the 374 reviewed were handled in a way that needed improvement or was inadequate."
t add "$CP" --ref C7 --kind cause-of-concern --priority high \
  --owner "AC Specialist Crime & Operations" --tag immediate-risk --tag case-handling \
  --text "38 of the cases reviewed were sent straight back to the force because the children in them were still at risk."

# --- recommendations (due: immediately = publication day; then +3 and +6 months) ---
t add "$CP" --ref R1 --answers C1 --priority high --due "$CP_PUBLISHED" \
  --owner "MPS Management Board" --tag governance --tag oversight \
  --text "Put clear governance in place to monitor child-protection practice in borough and specialist teams, tell staff what good service looks like, and start a performance framework that makes that standard consistent across London."
t add "$CP" --ref R2 --answers C2 --priority high --due "$CP_PUBLISHED" \
  --owner "AC Territorial Policing" --tag missing-children \
  --text "Improve the response to children who go missing from home."
t add "$CP" --ref R3 --answers C2 --priority high --due "$CP_PUBLISHED" \
  --owner "MPS Head of Safeguarding" --tag risk-awareness --tag child-sexual-exploitation \
  --text "Raise officers' and staff's understanding and awareness of the risks children face."
t add "$CP" --ref R4 --priority high --due "$CP_PUBLISHED" \
  --owner "AC Specialist Crime & Operations" --tag offender-management \
  --text "Improve the management of people who pose a risk to children."
t add "$CP" --ref R5 --answers C6 --priority high --due "+3 months" \
  --owner "AC Territorial Policing" --tag initial-response --tag investigation \
  --text "Improve the planning of, and first response to, child abuse and child-protection matters."
t add "$CP" --ref R6 --answers C6 --priority high --due "+3 months" \
  --owner "AC Specialist Crime & Operations" --tag investigation \
  --text "Improve how child-protection matters are investigated."
t add "$CP" --ref R7 --answers C3 --priority medium --due "+6 months" \
  --owner "MPS Management Board" --tag resources --tag prioritisation \
  --text "Review how resources are managed so that they better meet the demand of child-protection work."
t add "$CP" --ref R8 --answers C5 --priority medium --due "+6 months" \
  --owner "AC Territorial Policing" --tag custody --tag partnership \
  --text "Review, together with children's social care, the practices used when children are detained."
t add "$CP" --ref R9 --answers C4 --priority medium --due "+6 months" \
  --owner "MPS Head of Safeguarding" --tag training --tag skills \
  --text "Audit the skills and experience of the staff who carry out safeguarding investigations."

# --- the Met's response, 25 November 2016 ---
ACCEPTED="The Met accepted the inspection's findings: Assistant Commissioner Martin Hewitt said so on BBC Radio 4's Today programme on the day of publication, calling the level of inadequacy really troubling."
IMMEDIATE="Due date: the report asks for immediate action; the ledger reads that as the publication day."
t update "$CP/C1" --date "$CP_PUBLISHED" --response accepted --status reported-complete \
  --source "force statement" --evidence "$MET_STATEMENT_2016" \
  --note "$ACCEPTED The Met's statement the same day named a single Management Board lead, an Assistant Commissioner, to coordinate child protection across London."
for ref in C2 C3 C4 C5 C6; do
  t update "$CP/$ref" --date "$CP_PUBLISHED" --response accepted --source "force statement" \
    --note "$ACCEPTED"
done
t update "$CP/C7" --date "$CP_PUBLISHED" --response accepted --status reported-complete \
  --source "force statement" --evidence "$MET_STATEMENT_2016" \
  --note "$ACCEPTED The force said a team had re-examined every case sent back and found no child at further risk; no one was charged or cautioned as a result."
for ref in R1 R2 R3 R4; do
  t update "$CP/$ref" --date "$CP_PUBLISHED" --response accepted --source "force statement" \
    --note "$ACCEPTED $IMMEDIATE"
done
for ref in R5 R6 R7 R8 R9; do
  t update "$CP/$ref" --date "$CP_PUBLISHED" --response accepted --source "force statement" \
    --note "$ACCEPTED"
done

# =============================================================================================
# 2. PEEL legitimacy 2016 (late 2016)
# =============================================================================================
t reports add "$LEG16" \
  --title "PEEL: Police legitimacy 2016 - Metropolitan Police Service" \
  --by HMIC --subject "Metropolitan Police Service" --kind peel \
  --published "$LEG16_DATE" \
  --url "https://hmicfrs.justiceinspectorates.gov.uk/peel-assessments/peel-2016/metropolitan/legitimacy/" \
  --grade "legitimacy=good" \
  --grade "workforce behaves ethically and lawfully=requires-improvement" \
  --note "Date approximate: HMIC published its 2016 legitimacy reports in late 2016 (autumn 2016 in its own words); the day was not confirmed in the sources searched, so 8 December 2016 is a placeholder. AFI1 and AFI2 are the ledger's numbering; HMI Matt Parr restated both in his observations on the force in spring 2017 (see peel-2016-met). Owners are the ledger's assignment to Met portfolios."
t add "$LEG16" --ref AFI1 --kind area-for-improvement --priority medium \
  --owner "AC Professionalism" --tag vetting --tag integrity \
  --text "Bring vetting into line with national vetting policy."
t add "$LEG16" --ref AFI2 --kind area-for-improvement --priority medium \
  --owner "AC Professionalism" --tag counter-corruption --tag integrity --tag capacity \
  --text "Give counter-corruption work the capacity to investigate all the actionable intelligence the force receives."
LEG16_STATEMENT=http://www.metbpa.org.uk/response-to-hmic-peel-police-legitimacy-2016-an-inspection-of-the-met/news/
t update "$LEG16/AFI1" --date "$LEG16_DATE" --response accepted --source "force statement" \
  --evidence "$LEG16_STATEMENT" \
  --note "The Met accepted the report's findings and its overall 'good' grade, and said it was already acting on them. The statement is undated; the ledger dates it to the report."
t update "$LEG16/AFI2" --date "$LEG16_DATE" --response accepted --source "force statement" \
  --evidence "$LEG16_STATEMENT" \
  --note "The Met's professional standards lead accepted the findings on counter-corruption and said ways to take them forward were being developed, though capacity was a challenge within current resources. The statement is undated; the ledger dates it to the report."

# =============================================================================================
# 3. PEEL effectiveness 2016 (2 March 2017)
# =============================================================================================
t reports add "$EFF16" \
  --title "PEEL: Police effectiveness 2016 - Metropolitan Police Service" \
  --by HMIC --subject "Metropolitan Police Service" --kind peel \
  --published "$EFF16_DATE" \
  --url "https://hmicfrs.justiceinspectorates.gov.uk/peel-assessments/peel-2016/metropolitan/effectiveness/" \
  --grade "effectiveness=requires-improvement" \
  --grade "preventing crime and anti-social behaviour=good" \
  --grade "investigating crime and reducing re-offending=requires-improvement" \
  --grade "protecting vulnerable people=inadequate" \
  --grade "serious and organised crime=requires-improvement" \
  --note "Published Thursday 2 March 2017 (HMIC's page of force press releases for this inspection). C1 and AFI1-AFI4 are the ledger's numbering of the findings as they were reported. Owners are the ledger's assignment to Met portfolios."
t add "$EFF16" --ref C1 --kind cause-of-concern --priority high \
  --owner "MPS Management Board" --tag vulnerability \
  --text "The force's approach to keeping vulnerable people safe was inadequate, a cause of concern to HMIC."
t add "$EFF16" --ref AFI1 --kind area-for-improvement --priority high \
  --owner "AC Territorial Policing" --tag missing-children --tag child-sexual-exploitation \
  --text "Understand, and act on, the link between children going missing and child sexual exploitation."
t add "$EFF16" --ref AFI2 --kind area-for-improvement --priority medium \
  --owner "AC Territorial Policing" --tag investigation \
  --text "Improve the quality of investigations, including their first stages."
t add "$EFF16" --ref AFI3 --kind area-for-improvement --priority medium \
  --owner "AC Territorial Policing" --tag offender-management \
  --text "Improve the management of offenders so as to reduce re-offending."
t add "$EFF16" --ref AFI4 --kind area-for-improvement --priority medium \
  --owner "AC Specialist Crime & Operations" --tag serious-organised-crime --tag partnership \
  --text "Improve the response to serious and organised crime, drawing on other organisations' data and on neighbourhood teams."
t update "$EFF16/C1" --date "$EFF16_DATE" --status in-progress --source "force statement" \
  --note "The Met said this repeated the concerns of HMIC's autumn 2016 child-protection inspection and that it was already making changes to how it works with vulnerable people, children included."
t update "$EFF16/AFI1" --date "$EFF16_DATE" --status in-progress --source "force statement" \
  --related "$CP/C2" \
  --note "The same link was a concern of the child-protection inspection (see $CP/C2); the Met said it was already acting on those findings."
t update "$EFF16/AFI4" --date "$EFF16_DATE" --source "force statement" \
  --note "The Met disputed the judgement: it pointed to HMIC's praise for its work against organised crime and gangs, said intelligence sharing was improving and specialist detectives were being placed with frontline teams, and objected that the report said nothing of the budget pressures behind its priorities."

# =============================================================================================
# 4. PEEL 2016 assessment: HMI's observations on the force (spring 2017)
# =============================================================================================
t reports add "$PEEL16" \
  --title "PEEL 2016 assessment: Metropolitan Police Service (HMI's observations)" \
  --by HMIC --subject "Metropolitan Police Service" --kind peel \
  --published "$PEEL16_DATE" \
  --url "https://hmicfrs.justiceinspectorates.gov.uk/peel-assessments/peel-2016/metropolitan/" \
  --grade "effectiveness=requires-improvement" \
  --grade "efficiency=good" \
  --grade "legitimacy=good" \
  --note "Date approximate: HMI Matt Parr's observations close the 2016 PEEL year and call the Westminster attack of 22 March 2017 recent, so they appeared in spring 2017; the day was not found, and 30 April 2017 is a placeholder. He restates the child-protection findings, the vetting and counter-corruption findings (see $LEG16), and concerns about early investigation and the shortage of trained detectives, recorded here as AFI1 (the ledger's numbering; the owner is the ledger's assignment)."
t add "$PEEL16" --ref AFI1 --kind area-for-improvement --priority medium \
  --owner "MPS Management Board" --tag detectives --tag investigation --tag workforce \
  --text "Address the shortage of trained detectives in the force."

# =============================================================================================
# 5. The four quarterly progress updates, 2017-18
# =============================================================================================
t reports add "$Q1" \
  --title "National child protection inspection: post-inspection quarter 1 update" \
  --by HMIC --subject "Metropolitan Police Service" --kind follow-up --follows "$CP" \
  --published "$Q1_DATE" \
  --note "Date approximate: no source found gives the day. The ledger uses late May 2017, in keeping with quarterly reports through 2017 and with the second update, covering April to June, appearing about 10 August 2017. Issued by HMIC (renamed HMICFRS on 19 July 2017), inferred from that timing."
t update "$CP/R1" --date "$Q1_DATE" --status in-progress --source "$Q1" \
  --note "Ledger's reading: governance work was under way by the first update; the third update described continued improvement in governance building on the first two. Date approximate."

t reports add "$Q2" \
  --title "National child protection inspection: post-inspection quarter 2 update" \
  --by HMICFRS --subject "Metropolitan Police Service" --kind follow-up --follows "$CP" \
  --published "$Q2_DATE" \
  --note "Date approximate: 10 August 2017 is the date of the press coverage of this update (a PA story carried by AOL; also the BBC), which covered the three months to the end of June 2017; HMICFRS's own publication date was not found. The force's audit team had examined a further 170 case files and reported its findings to the inspectorate."
t update "$CP/C6" --date "$Q2_DATE" --status in-progress --source "$Q2" \
  --note "The update found no significant improvement yet in the quality of investigations or decision-making, though inspectors saw some encouraging progress. Ledger's reading: work under way, not yet effective."
t update "$CP/R5" --date "$Q2_DATE" --status in-progress --source "$Q2" \
  --note "The update still found delays in visiting victims. Ledger's reading: work under way."
t update "$CP/R6" --date "$Q2_DATE" --status in-progress --source "$Q2" \
  --note "Child sexual exploitation investigations still showed flaws: investigators not talking to each other, confusion over what mattered most, missed or delayed actions, suspects not traced."
t update "$CP/R2" --date "$Q2_DATE" --status in-progress --source "$Q2" \
  --note "Efforts to trace missing children were still held up by delays. Ledger's reading: work under way."
t update "$CP/C2" --date "$Q2_DATE" --status in-progress --source "$Q2" \
  --note "Progress is tracked under R2 and R3; delays in tracing missing children persisted."

t reports add "$Q3" \
  --title "National child protection inspection: post-inspection quarter 3 update" \
  --by HMICFRS --subject "Metropolitan Police Service" --kind follow-up --follows "$CP" \
  --published "$Q3_DATE" \
  --figure "cases reviewed=135" --figure "good=10" \
  --figure "requires improvement=64" --figure "inadequate=61" \
  --note "Date reported as 24 November 2017 by a blog post of 27 November 2017 (researchingreform.net); not confirmed from HMICFRS, so treat the day as approximate. Inspectors reviewed 135 cases covering domestic abuse, police powers to protect children, sex offender management, missing children, child sexual exploitation and children detained in custody."
t update "$CP/R1" --date "$Q3_DATE" --status partially-implemented --source "$Q3" \
  --note "Governance of child protection continued to improve; the force's stated intent had not yet turned into a better service for children."
t update "$CP/C6" --date "$Q3_DATE" --source "$Q3" \
  --note "Just under 93% of the 135 cases reviewed needed improvement or were inadequate."
t update "$CP/R7" --date "$Q3_DATE" --source "$Q3" \
  --note "Coverage of the update linked the continuing problems partly to officers' high workloads. The sources used record no completed review of resourcing."
t update "$CP/R8" --date "$Q3_DATE" --source "$Q3" \
  --note "The detention of children in custody was among the areas inspectors looked at. The sources used record no outcome of the joint review."

t reports add "$Q4" \
  --title "National child protection inspection: post-inspection quarter 4 update" \
  --by HMICFRS --subject "Metropolitan Police Service" --kind follow-up --follows "$CP" \
  --published "$Q4_DATE" \
  --url "https://hmicfrs.justiceinspectorates.gov.uk/news/news-feed/met-police-leaders-now-understand-challenges-but-child-protection-still-needs-to-improve/" \
  --figure "cases reviewed=214" --figure "needing improvement or inadequate=191" \
  --note "Fourth and last of the quarterly updates. HMICFRS's later summary gives only the month (February 2018); the day is from the Met's response statement, dated Thursday 22 February 2018. Progress in several important areas, with new structures, training and oversight, but many changes too recent to show in consistently better outcomes for children."
t update "$CP/C1" --date "$Q4_DATE" --status implemented --source "$Q4" \
  --note "The update listed the appointment of a named officer lead for child protection among the improvements made."
t update "$CP/R1" --date "$Q4_DATE" --source "$Q4" \
  --note "A dedicated team now regularly checks and reports on the quality of decisions in child-protection cases."
t update "$CP/R4" --date "$Q4_DATE" --status partially-implemented --source "$Q4" \
  --note "A new system briefs officers on registered sex offenders living in their areas."
t update "$CP/C4" --date "$Q4_DATE" --status partially-implemented --source "$Q4" \
  --note "New structures, training and oversight were in evidence, though many changes were too recent to show in outcomes."
t update "$CP/R3" --date "$Q4_DATE" --status in-progress --source "$Q4" \
  --note "Ledger's reading: new training was in evidence by the final update."
t update "$CP/R9" --date "$Q4_DATE" --status in-progress --source "$Q4" \
  --note "Ledger's reading: training was in evidence; the sources used do not say whether the skills audit was completed."
t update "$CP/C6" --date "$Q4_DATE" --source "$Q4" \
  --note "191 of the 214 cases reviewed needed improvement or were inadequate; some were compromised by poor investigation, workload and weak supervision."
t update "$CP/C7" --date "$Q4_DATE" --source "force statement" \
  --note "The Met said action had been taken in every case where it or the inspectorate had found that safeguarding risks were not properly dealt with."

# =============================================================================================
# 6. PEEL 2017: legitimacy (December 2017) and effectiveness (March 2018)
# =============================================================================================
t reports add "$LEG17" \
  --title "PEEL: Police legitimacy 2017 - Metropolitan Police Service" \
  --by HMICFRS --subject "Metropolitan Police Service" --kind peel --follows "$LEG16" \
  --published "$LEG17_DATE" \
  --url "https://hmicfrs.justiceinspectorates.gov.uk/peel-assessments/peel-2017/metropolitan/legitimacy/" \
  --grade "legitimacy=good" \
  --grade "workforce behaves ethically and lawfully=good" \
  --note "Published 12 December 2017 (Police Federation news of that day; HMICFRS's page for the force last updated 12/12/2017)."
t update "$LEG16/AFI1" --date "$LEG17_DATE" --status in-progress --source "$LEG17" \
  --note "The force had an achievable plan for re-vetting, to bring all its vetting up to date."
t update "$LEG16/AFI2" --date "$LEG17_DATE" --status partially-implemented --source "$LEG17" \
  --note "Inspectors found good progress against the other areas for improvement of the 2016 legitimacy report. Ledger's reading: partly done."

t reports add "$EFF17" \
  --title "PEEL: Police effectiveness 2017 - Metropolitan Police Service" \
  --by HMICFRS --subject "Metropolitan Police Service" --kind peel --follows "$EFF16" \
  --published "$EFF17_DATE" \
  --url "https://hmicfrs.justiceinspectorates.gov.uk/peel-assessments/peel-2017/metropolitan/effectiveness/" \
  --grade "effectiveness=requires-improvement" \
  --note "Published 22 March 2018 (HMICFRS's page for the force last updated 22/03/2018; the report is dated March 2018). A risk-based inspection: not every 2016 question was inspected again. Performance in general better than in 2016."
t update "$EFF16/C1" --date "$EFF17_DATE" --status partially-implemented --source "$EFF17" \
  --note "Inspectors saw improvements in how the force deals with vulnerable victims, notably of domestic abuse, but it still has to work better with other agencies to safeguard victims."
t update "$EFF16/AFI4" --date "$EFF17_DATE" --status implemented --source "$EFF17" \
  --note "The force had responded well to the 2016 areas for improvement on serious and organised crime: it understands the threat better and manages organised crime groups well."
t update "$EFF16/AFI2" --date "$EFF17_DATE" --source "$EFF17" \
  --note "Investigation still needs to improve; the many unfilled detective posts are harming the quality of investigations. No response from the force is recorded in the sources used."
t update "$PEEL16/AFI1" --date "$EFF17_DATE" --status in-progress --source "$EFF17" \
  --note "The force was still struggling to fill a large number of detective vacancies, despite some innovative recruitment."
t update "$CP/C5" --date "$EFF17_DATE" --source "$EFF17" \
  --note "PEEL 2017 still asks the force to work better with other agencies to safeguard victims."

# =============================================================================================
# 7. The post-inspection review (fieldwork October 2018, published March 2019)
# =============================================================================================
t reports add "$REVIEW" \
  --title "National child protection post-inspection review: Metropolitan Police Service" \
  --by HMICFRS --subject "Metropolitan Police Service" --kind review --follows "$CP" \
  --published "$REVIEW_DATE" \
  --url "https://www.justiceinspectorates.gov.uk/hmicfrs/publications/metropolitan-national-child-protection-post-inspection-review" \
  --response-within "56 days" --revisit-by "within 12 months" \
  --note "The 2018 post-inspection review: fieldwork 8-19 October 2018, published 28 March 2019 (HMICFRS publication page). Oversight of child protection was better and more effective, but outcomes for children at risk had not consistently improved. Significant concerns about online child abuse and exploitation led to one further recommendation, recorded as R10 (the ledger's summary, numbered to follow R1-R9 of the 2016 report). HMICFRS promised to revisit within a year, leaving time for the force to finish its major restructure. Owners are the ledger's assignment to Met portfolios."
t add "$REVIEW" --ref R10 --priority high \
  --owner "AC Specialist Crime & Operations" --tag online-abuse --tag capacity \
  --text "Deal with the limited specialist capacity, backlogs and resourcing pressures that leave the force overwhelmed by online child abuse and exploitation cases."
t update "$CP/R1" --date "$REVIEW_DATE" --status implemented --source "$REVIEW" \
  --note "The review found better and more effective oversight of child-protection practice across the force. Ledger's reading: the governance recommendation is met; outcomes are followed under C6, R5 and R6."
t update "$CP/C6" --date "$REVIEW_DATE" --source "$REVIEW" \
  --note "Outcomes for children at risk of harm had not consistently improved, and there were still too many delays."
