#!/usr/bin/env bash
# Run `track remind` under a real cron daemon (Debian's `cron`) and check what it wrote.
#
#   bash tests/cron/run_under_cron.sh [TRACK]
#
# TRACK is the track executable (default: $TRACK_BIN, else `track` on PATH). Needs root: it adds
# one entry to root's crontab, starts cron if it is not running, waits up to $CRON_WAIT seconds
# (default 100) for the job's output, checks it byte for byte, then removes its entry (and
# stops cron again if it started it). The job redirects its output to files, so no MTA is
# needed. Exit 0: passed; 1: failed; 77: cannot run here (not root, no cron, no track).
set -euo pipefail

track="${1:-${TRACK_BIN:-$(command -v track || true)}}"
if [ -z "$track" ] || [ ! -x "$track" ]; then echo "skip: no track executable (give its path)" >&2; exit 77; fi
case "$track" in /*) ;; *) track="$PWD/$track" ;; esac
if ! command -v cron >/dev/null 2>&1; then echo "skip: Debian's cron is not installed (apt-get install cron)" >&2; exit 77; fi
if [ "$(id -u)" != 0 ]; then echo "skip: needs root (root's crontab, starting cron)" >&2; exit 77; fi

work="$(mktemp -d /tmp/track-cron.XXXXXX)"
chmod 755 "$work"
ledger="$work/ledger"
marker="track-remind-cron-test:$$"
started_cron=""

# The pid in cron's pid file, if that process is cron and not a zombie: a cron just stopped (by
# another test) stays one until init reaps it, and runs no job.
running_cron() {
  local pid
  pid="$(cat /run/crond.pid 2>/dev/null || true)"
  [ -n "$pid" ] && [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = cron ] &&
    [ "$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null)" != Z ] && echo "$pid"
}

cleanup() {
  # Remove our entries (and only ours) from root's crontab.
  if crontab -l >/dev/null 2>&1; then
    rest="$(crontab -l 2>/dev/null | grep -v -F "$marker" || true)"
    if [ -n "$rest" ]; then printf '%s\n' "$rest" | crontab - || true; else crontab -r || true; fi
  fi
  if [ -n "$started_cron" ] && [ "$(running_cron || true)" = "$started_cron" ]; then
    kill "$started_cron" 2>/dev/null || true
    for _ in $(seq 300); do  # gone before the next test asks whether cron runs
      [ "$(running_cron || true)" = "$started_cron" ] || break
      sleep 0.1
    done
  fi
  rm -rf "$work"
}
trap cleanup EXIT

# --- a small ledger, built with the command line, "today" pinned ------------------------------
A=hmic-2016-met-cp
t() { TRACK_TODAY=2018-12-31 "$track" --ledger "$ledger" "$@" >/dev/null; }
TRACK_TODAY=2018-12-31 "$track" init "$ledger" --name met-demo >/dev/null
t reports add "$A" --title "National child protection inspection: Metropolitan Police Service" \
  --by HMIC --subject "Metropolitan Police Service" --published 2016-11-24 --response-within "56 days" \
  --followup-every "3 months" --followup-from 2017-03-01 --followup-until 2018-02-28
t add "$A" --ref R1 --text "Review the 38 cases referred back and make sure every child is safe" \
  --owner "DCS Public Protection" --due 2017-01-31
t add "$A" --ref R2 --text "Put in place supervision of child protection investigations" \
  --owner "Commander Safeguarding" --due 2017-03-10
t add "$A" --ref R3 --text "Train officers in recognising risk to children"
t update "$A/R1" --response accepted --date 2016-12-20
t reports add hmic-2017-met-cp-q1 --title "Report hmic-2017-met-cp-q1" --by HMIC \
  --subject "Metropolitan Police Service" --published 2017-02-27 --kind follow-up --follows "$A"

cat > "$work/expected.txt" <<'TEXT'
track remind: met-demo as of 2017-03-01
due-soon window 14 days (to 2017-03-15); stale after 90 days without an event

Overdue: 1 open recommendation past the due date, oldest first

ID                   DUE         OVERDUE  OWNER                  TEXT
hmic-2016-met-cp/R1  2017-01-31  29 days  DCS Public Protection  Review the 38 cases referred back and make sure every chi...

Due soon: 1 open recommendation due by 2017-03-15 (within 14 days)

ID                   DUE         DUE IN     OWNER                   TEXT
hmic-2016-met-cp/R2  2017-03-10  in 9 days  Commander Safeguarding  Put in place supervision of child protection investigations

Responses due: 1 report with recommendations awaiting a response

REPORT            PUBLISHED   CLOCK    DEADLINE    WHEN                AWAITING RESPONSE
hmic-2016-met-cp  2016-11-24  56 days  2017-01-18  passed 42 days ago  2 of 3

Stale: 2 open recommendations with no event for 90 days or more

ID                   LAST EVENT                  QUIET  STATUS             OWNER
hmic-2016-met-cp/R2  none (issued 2016-11-24)  97 days  awaiting-response  Commander Safeguarding
hmic-2016-met-cp/R3  none (issued 2016-11-24)  97 days  awaiting-response
TEXT

# --- the crontab entries: the README's line, with output to files instead of mail -------------
# The second job records the environment cron gives its jobs (no TERM, a short PATH).
{
  crontab -l 2>/dev/null || true
  echo "* * * * * TRACK_LEDGER=$ledger $track remind --as-of 2017-03-01 --fail-on-overdue >$work/out.txt 2>$work/err.txt; echo \$? >$work/rc.txt  # $marker"
  echo "* * * * * env | sort >$work/env.txt  # $marker"
} | crontab -

if [ -n "$(running_cron || true)" ]; then
  echo "cron is running (pid $(cat /run/crond.pid))"
else
  cron
  sleep 1
  started_cron="$(running_cron || true)"
  echo "started cron (pid ${started_cron:-?})"
fi

wait="${CRON_WAIT:-100}"
echo "crontab installed at $(date +%T); waiting up to ${wait}s for the job"
for _ in $(seq "$wait"); do
  [ -s "$work/rc.txt" ] && break
  sleep 1
done
if [ ! -s "$work/rc.txt" ]; then
  echo "FAIL: cron did not run the job within ${wait}s" >&2
  exit 1
fi
sleep 1  # let the env job finish too
echo "job ran at $(date +%T)"
echo "--- the environment cron gave the job:"
cat "$work/env.txt" 2>/dev/null || true
echo "--- exit status: $(cat "$work/rc.txt")"
echo "--- stderr ($(wc -c <"$work/err.txt") bytes):"
cat "$work/err.txt"
echo "--- stdout ($(wc -c <"$work/out.txt") bytes):"
cat "$work/out.txt"
echo "---"

fail=0
[ "$(cat "$work/rc.txt")" = 3 ] || { echo "FAIL: exit status $(cat "$work/rc.txt"), expected 3 (--fail-on-overdue)" >&2; fail=1; }
[ ! -s "$work/err.txt" ] || { echo "FAIL: something on stderr" >&2; fail=1; }
if LC_ALL=C grep -q $'\x1b' "$work/out.txt"; then echo "FAIL: an escape byte in the output" >&2; fail=1; fi
if ! cmp -s "$work/expected.txt" "$work/out.txt"; then
  echo "FAIL: the output differs from the expected text:" >&2
  diff "$work/expected.txt" "$work/out.txt" >&2 || true
  fail=1
fi
if grep -q '^TERM=' "$work/env.txt" 2>/dev/null; then echo "note: cron's environment had TERM set" >&2; fi
[ "$fail" = 0 ] && echo "PASS: cron ran track remind and it wrote exactly the expected text"
exit "$fail"
