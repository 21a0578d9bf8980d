"""What `track report --grades` shows: each graded question at every inspection of a subject,
side by side, with the direction of change."""

from __future__ import annotations

from datetime import date

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, TextIO

from track.domain.grades import GradeTable
from track.views import formats
from track.views.formats import Column, dropped_first, md, one_line, padded_table
from track.views.html import badge, esc, html_table, page

GRADE_COLOUR = {
    "outstanding": "#1e8449",
    "good": "#52be80",
    "adequate": "#f4d03f",
    "requires-improvement": "#e67e22",
    "inadequate": "#c0392b",
}


ARROW = {"improved": "▲", "declined": "▼", "unchanged": "=", "new": "new", "not-reassessed": "", "": ""}

# How a direction reads in the tables (JSON and CSV carry the value itself): a question graded
# once and passed over by a later inspection of the subject was not reassessed, not new.
DIRECTION_TEXT = {"not-reassessed": "not reassessed"}


# --------------------------------------------------------------------------- grades


def grades_data(tables: list[GradeTable], as_of: date, ledger_name: str, ledger_root: str) -> dict[str, Any]:
    """The documented JSON of `track report --grades`: as_of, ledger, subjects (each with
    subject, inspections [{report, date, kind, title}] oldest first, and questions [{question,
    grades {report: grade or null}, previous, latest, direction}]). direction compares the last
    two grades given: improved, declined or unchanged; a question graded once is new when the
    subject's latest inspection graded it, else not-reassessed (a later inspection did not
    grade it again); "" when never graded."""
    return {
        "as_of": as_of,
        "ledger": {"name": ledger_name, "root": ledger_root},
        "subjects": [
            {
                "subject": t.subject,
                "inspections": [{"report": r.id, "date": r.published, "kind": r.kind, "title": r.title} for r in t.inspections],
                "questions": [
                    {"question": row.question, "grades": {r.id: g for r, g in zip(t.inspections, row.grades)},
                     "previous": row.previous, "latest": row.latest, "direction": row.direction}
                    for row in t.rows
                ],
            }
            for t in tables
        ],
    }


def _grade_columns(subject: dict[str, Any]) -> list[Column]:
    cols = [Column("question", "QUESTION", wide=True)]
    n = len(subject["inspections"])
    cols += [Column(f"g{i}", str(ins["date"]), drop=dropped_first(i, n)) for i, ins in enumerate(subject["inspections"])]
    cols.append(Column("direction", "CHANGE", drop=n))
    return cols


def _grade_rows(subject: dict[str, Any], arrows: bool) -> list[dict[str, Any]]:
    rows = []
    for q in subject["questions"]:
        row: dict[str, Any] = {"question": q["question"]}
        for i, ins in enumerate(subject["inspections"]):
            row[f"g{i}"] = q["grades"][ins["report"]] or "-"
        d = q["direction"]
        text = DIRECTION_TEXT.get(d, d)
        row["direction"] = f"{ARROW[d]} {text}".strip() if arrows and ARROW[d] and d != "new" else text
        rows.append(row)
    return rows


def grades_view(tables: list[GradeTable], as_of: date, ledger_name: str, ledger_root: str, fmt: str,
                out: TextIO | None = None) -> None:
    data = grades_data(tables, as_of, ledger_name, ledger_root)
    heading = f"Graded judgements as of {as_of}, ledger {one_line(ledger_name)} ({one_line(ledger_root)})"
    if fmt == "json":
        formats.write(formats.to_json(data), out)
        return
    if fmt == "csv":
        rows = []
        for s in data["subjects"]:
            for q in s["questions"]:
                for ins in s["inspections"]:
                    rows.append({"subject": s["subject"], "question": q["question"], "report": ins["report"],
                                 "date": ins["date"], "grade": q["grades"][ins["report"]], "direction": q["direction"]})
        formats.write(formats.csv_text(rows, ["subject", "question", "report", "date", "grade", "direction"]), out)
        return
    if fmt == "html":
        body = [f"<h1>{esc('Graded judgements')}</h1>", f'<p class="meta">{esc(heading)}</p>']
        if not data["subjects"]:
            body.append(f"<p>No graded inspections by {esc(as_of)}.</p>")
        body += grades_html(data["subjects"])
        formats.write(page("Graded judgements", body), out)
        return
    if not data["subjects"]:
        formats.write(f"{heading}\n\nNo graded inspections by {as_of}.\n", out)
        return
    if fmt == "markdown":
        parts = [f"## {heading}", ""]
        for s in data["subjects"]:
            parts += [f"### {md(one_line(s['subject']))}", "", formats.markdown_table(_grade_columns(s), _grade_rows(s, True))]
            parts += [f"- {i['date']}: {md(i['report'])}: {md(one_line(i['title']))}" for i in s["inspections"]] + [""]
        formats.write("\n".join(parts).rstrip("\n") + "\n", out)
        return
    terminal = fmt == "table"
    color = terminal and formats.use_color()
    width = formats.terminal_width()
    parts = [formats.heading(heading, width, color).rstrip("\n") if terminal else heading, ""]
    for s in data["subjects"]:
        rows = _grade_rows(s, terminal)
        table = (formats.plain_table(_grade_columns(s), rows, width=width, color=color) if terminal
                 else padded_table(_grade_columns(s), rows))
        parts += [formats.heading(one_line(s["subject"]), width, color).rstrip("\n") if terminal else one_line(s["subject"]), "", table]
        legend = [f"{i['date']}  {i['report']}: {one_line(i['title'])}" for i in s["inspections"]]
        parts += [formats.hanging(line, width, 12) if terminal else line for line in legend] + [""]
    formats.write("\n".join(parts).rstrip("\n") + "\n", out)


def grades_html(subjects: list[dict[str, Any]], heading: str = "{subject}") -> list[str]:
    """Each subject's graded judgements as HTML (a heading, the table, the inspections), from
    grades_data's "subjects"; `heading` names the subject in its heading."""
    body = []
    for number, s in enumerate(subjects):
        body.append(f"<h2>{esc(heading.format(subject=s['subject']))}</h2>")
        cols = _grade_columns(s)

        def grade_cell(c: Column, row: dict[str, Any]) -> str | None:
            if c.key.startswith("g") and c.key[1:].isdigit():
                g = row[c.key]
                colour = GRADE_COLOUR.get(g)
                return f"<td>{esc(g)}</td>" if colour is None else f"<td>{badge(colour, g)}</td>"
            return None

        body.append(html_table(cols, _grade_rows(s, True), table_id=f"grades-{number}", cell_html=grade_cell,
                               label=f"graded judgements of {s['subject']}"))
        body.append("<ul class=\"legend\">" + "".join(f"<li>{esc(i['date'])}  {esc(i['report'])}: {esc(one_line(i['title']))}</li>"
                                                     for i in s["inspections"]) + "</ul>")
    return body
