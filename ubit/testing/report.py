"""A class's marks as files: CSV (a spreadsheet), JSON (scripts) and one HTML page (people).

The HTML is self-contained — its style inline, the displays drawn as small HTML grids —
so it opens offline and can be mailed as one file. Everything a pupil's program
produced (names, feedback, scrolled text) is escaped. The reports hold no times: the
same submissions, given the same way, give the same bytes.
"""

from __future__ import annotations

import csv
import html
import io
import json
import os
from collections.abc import Sequence
from pathlib import Path

from ubit.fileio import atomic_write
from ubit.testing.mark import Mark
from ubit.testing.problems import Problem

CSV_NAME, JSON_NAME, HTML_NAME = "marks.csv", "marks.json", "report.html"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")  # a spreadsheet would run such a cell


def write_reports(out: str | os.PathLike[str], problem: Problem,
                  marks: Sequence[Mark]) -> list[Path]:
    """Write the three reports into the folder ``out`` (made if needed), each atomically."""
    folder = Path(out)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        from ubit.errors import InputFileError

        raise InputFileError(f"{folder}: can't make the reports' folder: "
                             f"{exc.strerror or exc}") from None
    written = []
    for name, text in ((CSV_NAME, to_csv(problem, marks)), (JSON_NAME, to_json(problem, marks)),
                       (HTML_NAME, to_html(problem, marks))):
        atomic_write(folder / name, text.encode("utf-8"))
        written.append(folder / name)
    return written


def to_csv(problem: Problem, marks: Sequence[Mark]) -> str:
    """One row per pupil: name, marks, out of, each test's marks, and any error."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["student", "marks", "out_of", *(t.name for t in problem.tests), "error"])
    for mark in marks:
        by_test = {t.name: t.marks for t in mark.tests}
        writer.writerow([_cell(mark.student), _num(mark.marks), _num(mark.out_of),
                         *(_num(by_test.get(t.name, 0)) for t in problem.tests),
                         _cell(mark.error)])
    return buffer.getvalue()


def to_json(problem: Problem, marks: Sequence[Mark]) -> str:
    """The problem and every mark, test by test, with feedback and the display."""
    data = {
        "problem": {"name": problem.name, "title": problem.title, "board": problem.board,
                    "out_of": problem.total,
                    "tests": [{"name": t.name, "marks": t.marks, "hint": t.hint}
                              for t in problem.tests]},
        "students": [m.to_dict() for m in marks],
    }
    return json.dumps(data, indent=1, ensure_ascii=False) + "\n"


def _num(value: float) -> str:
    return f"{value:g}"


def _cell(text: str) -> str:
    """Text a spreadsheet shows as text, never runs as a formula."""
    return "'" + text if text.startswith(FORMULA_START) else text


STYLE = """
body{font:15px/1.4 system-ui,sans-serif;margin:2em;color:#222}
table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 8px;vertical-align:top}
th{background:#f3f3f3}.pass{color:#176b2c}.fail{color:#a3141e}
pre{white-space:pre-wrap;margin:0;font-size:13px}
.grid{display:inline-grid;grid-template-columns:repeat(5,10px);gap:2px;background:#111;
padding:4px;border-radius:3px}.grid span{width:10px;height:10px;border-radius:2px}
section{margin-top:2em}h2{margin-bottom:.3em}
"""


def to_html(problem: Problem, marks: Sequence[Mark]) -> str:
    """One page: a table of the class, then each pupil's tests with feedback and display."""
    e = html.escape
    head = "".join(f"<th>{e(t.name)}<br><small>{_num(t.marks)} "
                   f"mark{'' if t.marks == 1 else 's'}</small></th>" for t in problem.tests)
    rows = []
    for index, mark in enumerate(marks):
        by_test = {t.name: t for t in mark.tests}
        cells = "".join(_tick(by_test.get(t.name)) for t in problem.tests)
        rows.append(f"<tr><td><a href='#s{index}'>{e(mark.student)}</a></td>"
                    f"<td>{_num(mark.marks)} / {_num(mark.out_of)}</td>{cells}</tr>")
    sections = [_student_section(index, mark) for index, mark in enumerate(marks)]
    return (
        "<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'>"
        f"<title>Marks: {e(problem.title)}</title><style>{STYLE}</style></head><body>"
        f"<h1>Marks: {e(problem.title)}</h1>"
        f"<p>{len(marks)} submissions, {len(problem.tests)} tests, "
        f"{_num(problem.total)} marks, micro:bit {e(problem.board.upper())}.</p>"
        f"<table><tr><th>student</th><th>marks</th>{head}</tr>{''.join(rows)}</table>"
        f"{''.join(sections)}</body></html>\n")


def _tick(result: object) -> str:
    passed = getattr(result, "passed", False)
    return f"<td class='{'pass' if passed else 'fail'}'>{'✓' if passed else '✗'}</td>"


def _student_section(index: int, mark: Mark) -> str:
    e = html.escape
    error = f"<p class='fail'>{e(mark.error)}</p>" if mark.error else ""
    rows = []
    for test in mark.tests:
        verdict = "passed" if test.passed else "failed"
        text = f"<br>text: <code>{e(test.text)}</code>" if test.text else ""
        rows.append(
            f"<tr><td>{e(test.name)}</td><td class='{'pass' if test.passed else 'fail'}'>"
            f"{verdict}</td><td>{_num(test.marks)} / {_num(test.out_of)}</td>"
            f"<td><pre>{e(test.feedback)}</pre></td><td>{grid(test.display)}{text}</td></tr>")
    return (f"<section id='s{index}'><h2>{e(mark.student)}: {_num(mark.marks)} / "
            f"{_num(mark.out_of)}</h2><small>{e(Path(mark.source).name)}</small>{error}"
            "<table><tr><th>test</th><th>result</th><th>marks</th><th>feedback</th>"
            f"<th>display at the end</th></tr>{''.join(rows)}</table></section>")


def grid(rows: Sequence[str]) -> str:
    """The 5×5 display as a grid of squares, each as bright as its LED (0–9)."""
    if len(rows) != 5:
        return ""
    cells = []
    for row in rows:
        for digit in row[:5]:
            level = int(digit) if digit.isdigit() else 0
            colour = f"rgba(255,40,40,{level / 9:.2f})" if level else "#333"
            cells.append(f"<span style='background:{colour}'></span>")
    drawing = "\n".join("".join("#" if c == "9" else "." if c == "0" else c for c in r)
                        for r in rows)
    return f"<div class='grid' title='{html.escape(drawing)}'>{''.join(cells)}</div>"
