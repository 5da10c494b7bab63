"""The plotter under a board's terminal: what a program prints, drawn, exported, and a flood."""

from __future__ import annotations

import csv
import io
import json
import re
import time
from pathlib import Path

from tests.editor.browser import Editor, needs_browser
from tests.editor.test_page import LAG_MONITOR, open_project, play, set_code, terminal

CASES = json.loads((Path(__file__).resolve().parent.parent / "plot_series_cases.json")
                   .read_text(encoding="utf-8"))
PLOTTER = "document.querySelector('.board-panel .plotter')"
PANEL = "window.ubit.workspace.panels[0]"
MAX_ROWS = 20000  # plotter.ts and series.py keep this many lines


def points(page) -> int:
    return int(page.get_attribute(".board-panel .plotter", "data-points"))


def show_plotter(page) -> None:
    """Press "Plotter" from the keyboard, as someone without a mouse would."""
    page.focus(".board-panel .plotter-toggle")
    page.keyboard.press("Enter")
    assert page.get_attribute(".board-panel .plotter-toggle", "aria-pressed") == "true"
    assert page.is_visible(".board-panel .plotter")


@needs_browser
def test_the_page_reads_lines_by_the_same_rules_as_ubit_plot(editor: Editor, page) -> None:
    open_project(page, editor)
    got = page.evaluate(f"""(cases) => {{
        const Plotter = {PANEL}.plotter.constructor;
        const lines = cases.cases.map(c => Plotter.parseLine(c.line));
        const splits = cases.splits.map(s => {{
            const reader = new Plotter.Lines();
            const encoder = new TextEncoder();
            return s.chunks.flatMap(chunk => reader.feed(encoder.encode(chunk)));
        }});
        return {{lines, splits}};
    }}""", CASES)
    for case, values in zip(CASES["cases"], got["lines"], strict=True):
        assert values == case["values"], case["line"]
    assert got["splits"] == [split["lines"] for split in CASES["splits"]]


@needs_browser
def test_printed_tuples_are_plotted_and_exported_as_printed(editor: Editor, page,
                                                            tmp_path: Path) -> None:
    count = 300
    open_project(page, editor)
    assert not page.is_visible(".board-panel .plotter")  # hidden until asked for
    show_plotter(page)
    set_code(page, "print('starting')\n"
                   f"for i in range({count}):\n"
                   "    print((i, -i / 8, i * 1e-7))\n"
                   "    if i % 50 == 0:\n        print('not data', i)\n"
                   "print('done')\n")
    play(page)
    page.wait_for_function(f"() => {PANEL}.terminal.text().includes('done')")
    page.wait_for_function(f"() => {PLOTTER}.dataset.points === "
                           f"'{count}'")
    assert page.evaluate(f"() => {PANEL}.plotter.points()") == count
    assert page.is_visible(".board-panel .plotter canvas")
    legend = page.inner_text(".board-panel .plotter .u-legend")
    assert all(name in legend for name in ("y1", "y2", "y3"))
    printed = [line.strip()[1:-1].split(", ") for line in terminal(page).splitlines()
               if line.startswith("(")]
    assert len(printed) == count
    with page.expect_download() as info:
        page.click(".board-panel .plotter-csv")
    saved = tmp_path / "plot.csv"
    info.value.save_as(saved)
    assert info.value.suggested_filename.endswith(".csv")
    rows = list(csv.reader(io.StringIO(saved.read_text())))
    assert rows[0] == ["time", "y1", "y2", "y3"]
    assert [row[1:] for row in rows[1:]] == printed  # the numbers' text, as printed
    times = [float(row[0]) for row in rows[1:]]
    assert times[0] == 0 and times == sorted(times)
    # Play starts a fresh plot (not one after the other); Clear empties it
    play(page)
    page.wait_for_function(f"() => {PANEL}.terminal.text().includes('done')")
    page.wait_for_function(f"() => {PLOTTER}.dataset.points === "
                           f"'{count}'")
    time.sleep(0.3)
    assert points(page) == count
    page.click(".board-panel .plotter-clear")
    page.wait_for_function(f"() => {PLOTTER}.dataset.points === '0'")
    assert page.evaluate(f"() => {PANEL}.plotter.csv()") == "time\n"
    # a series printed on some lines only is one line through them (uPlot spans undefined);
    # a printed nan breaks it (null)
    kinds = page.evaluate(f"""async () => {{
        const plotter = {PANEL}.plotter;
        plotter.feed(new TextEncoder().encode(
            "(1, 2)\\ntemp: 5\\n(3, 4)\\n(5, 6)\\ntemp: 6\\ntemp: nan\\ntemp: 7\\n"));
        await new Promise(requestAnimationFrame);
        await new Promise(requestAnimationFrame);
        return plotter.chart.data[3].map(v => v === undefined ? "-" : v === null ? "gap" : v);
    }}""")
    assert kinds == ["-", 5, "-", "-", 6, "gap", 7]
    # in the dark theme the plotter takes the dark colours
    page.evaluate("() => document.documentElement.classList.add('dark')")
    background = page.evaluate(f"() => getComputedStyle({PLOTTER})"
                               ".backgroundColor")
    assert background == "rgb(39, 42, 49)"  # --panel in html.dark


@needs_browser
def test_a_flood_of_numbers_keeps_the_page_responsive_and_memory_bounded(editor: Editor,
                                                                         page) -> None:
    open_project(page, editor)
    show_plotter(page)
    set_code(page, "i = 0\nwhile True:\n    print((i, i * 2))\n    i += 1\n")
    play(page)
    page.evaluate(LAG_MONITOR)
    page.wait_for_function(f"() => Number({PLOTTER}.dataset.points) "
                           "> 1000", timeout=20000)
    # a click on another button is handled at once, flood or not
    for _ in range(3):
        began = time.monotonic()
        page.click(".board-panel .plotter-pause")
        page.wait_for_function("() => document.querySelector('.board-panel .plotter-pause')"
                               ".getAttribute('aria-pressed') === 'true'", timeout=2000)
        assert time.monotonic() - began < 1.5
        # paused: the lines are still recorded, the chart stands still
        shown = page.evaluate(f"() => {PANEL}.plotter.chart.data[0].length")
        last = page.evaluate(f"() => {PANEL}.plotter.chart.data[0].at(-1)")
        held = points(page)
        page.wait_for_function(f"() => Number({PLOTTER}"
                               f".dataset.points) > {held}")
        assert page.evaluate(f"() => {PANEL}.plotter.chart.data[0].at(-1)") == last
        assert page.evaluate(f"() => {PANEL}.plotter.chart.data[0].length") == shown
        page.click(".board-panel .plotter-pause")
        page.wait_for_function(f"() => {PANEL}.plotter.chart.data[0].at(-1) > {last}")
    # the oldest lines go once MAX_ROWS are held, and the plotter says so
    page.wait_for_function(f"() => {PANEL}.plotter.points() === {MAX_ROWS}", timeout=60000)
    time.sleep(1)
    assert page.evaluate(f"() => {PANEL}.plotter.points()") == MAX_ROWS
    assert re.search(r"older dropped", page.inner_text(".board-panel .plotter-status"))
    # what is drawn is at most two points per pixel column, not every line
    drawn = page.evaluate(f"() => {PANEL}.plotter.chart.data[0].length")
    width = page.evaluate("() => document.querySelector('.board-panel .plotter-chart').clientWidth")
    assert drawn <= 2 * width
    worst = page.evaluate("() => window.__lag.max")
    assert worst < 250, f"the page's thread was busy for {worst:.0f} ms at once"
    # the CSV holds what is kept: whole lines of the flood in order, none garbled (when the
    # link drops bytes of a flood, the line they cut is skipped, not misread)
    rows = [row.split(",") for row in page.evaluate(f"() => {PANEL}.plotter.csv()").splitlines()]
    assert rows[0] == ["time", "y1", "y2"] and len(rows) == MAX_ROWS + 1
    numbers = [(int(row[1]), int(row[2])) for row in rows[1:]]
    assert all(y == 2 * x for x, y in numbers)
    assert all(a[0] < b[0] for a, b in zip(numbers, numbers[1:], strict=False))
