"""No input reaches an internal error: hypothesis feeds arbitrary text (control characters, bytes
that are not UTF-8, huge numbers, dates off the calendar, nonsense) to every option of every
command, and every answer is success or a refusal: exit 0, 1 or 2, never "internal error", never
a traceback. Each example runs on a fresh copy of a small ledger, so a change one makes cannot
hide another's failure."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from conftest import A
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from track.cli.app import app

R1 = f"{A}/R1"

# text as a person, a script or a hostile file might give it
NASTY = ["", " ", "\n", "\x00", "\x1b[31m", "\udcff", "\ud800", "9999-12-31", "0001-01-01", "+99999 years", "-99999 days",
         "99999 months", "1e309", "nan", "-1", "=cmd|' /C calc'!A0", "<script>", "../../etc/passwd", "R1", A, "a" * 5000,
         "2017-02-30", "31/12/2017", "05/06/2017", "Q5 2017", "within 0 days", "0 days", "today", "tomorrow", "é", "e\u0301"]
text = st.one_of(st.sampled_from(NASTY), st.text(max_size=30), st.from_regex(r"[+-]?\d{1,6} ?[a-z]{0,7}", fullmatch=True))

COMMANDS = {
    "list": ["--status", "--report", "--subject", "--issued-by", "--owner", "--tag", "--kind", "--priority", "--due-within",
             "--search", "--sort", "--as-of", "--format"],
    "show": ["--as-of", "--format"],
    "report": ["--by", "--as-of", "--format"],
    "history": ["--since", "--until", "--as-of", "--format"],
    "remind": ["--within", "--stale", "--as-of", "--format"],
    "update": ["--status", "--response", "--due", "--reason", "--owner", "--note", "--source", "--evidence",
               "--superseded-by", "--duplicate-of", "--related", "--date"],
    "add": ["--ref", "--text", "--kind", "--answers", "--owner", "--tag", "--due", "--priority"],
    "reports add": ["--title", "--by", "--subject", "--published", "--kind", "--follows", "--url", "--note",
                    "--followup-every", "--followup-from", "--followup-until", "--revisit-by", "--response-within",
                    "--figure", "--grade"],
    "reports update": ["--title", "--kind", "--url", "--grade", "--remove-grade", "--figure", "--remove-figure",
                       "--response-within", "--revisit-by", "--followup-every", "--followup-from", "--followup-until"],
    "export": ["--format", "--report", "--as-of"],
}
POSITIONAL = {"show": [R1], "update": [R1], "add": [A], "reports add": [], "reports update": [A]}
REQUIRED = {"add": ["--ref", "R9", "--text", "t"],
            "reports add": ["--title", "t", "--by", "b", "--subject", "s", "--published", "2017-01-01"]}


@settings(max_examples=int(os.environ.get("TRACK_FUZZ_EXAMPLES", "150")), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_no_option_value_reaches_an_internal_error(met_template: Path, tmp_path_factory: pytest.TempPathFactory,
                                                    data: st.DataObject) -> None:
    command = data.draw(st.sampled_from(sorted(COMMANDS)))
    options = data.draw(st.lists(st.sampled_from(COMMANDS[command]), min_size=1, max_size=3, unique=True))
    argv = [*command.split(), *POSITIONAL.get(command, [])]
    if command == "reports add":
        argv.append(data.draw(st.sampled_from(["new", "x\n", "ABC", "a/b", "\udcff"])))
    argv += REQUIRED.get(command, [])
    for option in options:
        argv += [option, data.draw(text)]
    ledger = tmp_path_factory.mktemp("copy") / "met"
    shutil.copytree(met_template, ledger, ignore=shutil.ignore_patterns(".track"))
    result = CliRunner().invoke(app, ["--ledger", str(ledger), *argv])
    assert result.exit_code in (0, 1, 2), (argv, result.exit_code, result.stderr)
    assert "internal error" not in result.stderr and "Traceback" not in result.output, (argv, result.stderr)
    if result.exception is not None:
        assert isinstance(result.exception, SystemExit), (argv, repr(result.exception))


CSV_HEAD = "report,ref,text,kind,owner,tags,due,status,response,date,note,report_title,report_by,report_subject,report_published\n"
cells = st.one_of(st.sampled_from(NASTY), st.text(max_size=12)).map(lambda c: '"' + c.replace('"', '""') + '"')
csv_rows = st.lists(st.lists(cells, min_size=15, max_size=15).map(",".join), max_size=4).map(lambda rows: CSV_HEAD + "\n".join(rows))
json_docs = st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | st.sampled_from(NASTY) | st.text(max_size=8),
                         lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(
                             ["format", "version", "reports", "recommendations", "events", "id", "title", "published",
                              "ref", "text", "date", "status", "due", "figures", "followup", "every"]), inner, max_size=4),
                         max_leaves=12)


@settings(max_examples=int(os.environ.get("TRACK_FUZZ_EXAMPLES", "150")), deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(content=st.one_of(csv_rows, json_docs.map(lambda d: __import__("json").dumps(
    {"format": "track-export", "version": 1, "reports": d} if isinstance(d, list) else d))), create=st.booleans())
def test_no_file_to_import_reaches_an_internal_error(met_template: Path, tmp_path_factory: pytest.TempPathFactory,
                                                      content: str, create: bool) -> None:
    place = tmp_path_factory.mktemp("import")
    ledger = place / "met"
    shutil.copytree(met_template, ledger, ignore=shutil.ignore_patterns(".track"))
    path = place / ("rows.json" if content.lstrip().startswith(("{", "[", "n", "t", "f", '"')) or content[:1].isdigit() else "rows.csv")
    path.write_text(content, "utf-8", errors="surrogatepass")
    result = CliRunner().invoke(app, ["--ledger", str(ledger), "import", str(path), *(["--create-reports"] if create else [])])
    assert result.exit_code in (0, 1, 2), (content, result.exit_code, result.stderr)
    assert "internal error" not in result.stderr and "Traceback" not in result.output, (content, result.stderr)
