"""The data log in the editor: a V2 program's log as a live table, a chart and a CSV that is
the one ``ubit run --log-csv`` saves for the same program."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.editor.browser import Editor, needs_browser, wait_open
from tests.ubitcli import run_ubit

# Rows, then a label added later (a second heading line), then it stops: the same rows
# on every run. Timestamps are on (log.SECONDS), so the time column is there too. The
# pauses let each row reach the page in a message of its own (see BURST below).
PROGRAM = """\
from microbit import *
import log
log.set_labels('temp', 'light', timestamp=log.SECONDS)
sleep(100)
for i in range(5):
    log.add(temp=20 + i, light=i * 10)
    sleep(100)
log.add({'temp': 30, 'light': 5, 'sound': 7})
sleep(100)
for i in range(3):
    log.add(temp=i, light=-i, sound=i * 2.5)
    sleep(100)
display.show(Image.YES)
"""
# What learners write: rows logged as fast as the board goes.
BURST = """\
import log
log.set_labels('n', 'square')
for i in range(200):
    log.add(n=i, square=i * i)
log.add(n=-1, square=1, extra='late')
"""
LIGHT = [0, 10, 20, 30, 40, 5, 0, -1, -2]
VIEW = "window.ubit.workspace.panels[0].datalog.view"


def without_time(csv: str) -> tuple[list[str], list[float]]:
    """The CSV's lines without the time column (first here), and the times of the rows.

    The editor's board runs on the wall clock (``clock: real``), ``ubit run --headless``
    in virtual time: the rows and headings are the same, the times differ by how the
    computer scheduled the run, so they are compared apart (numbers, in order)."""
    lines, times = [], []
    for line in csv.splitlines():
        first, _, rest = line.partition(",")
        lines.append(rest)
        if first != "Time (seconds)":
            times.append(float(first))
    return lines, times


@pytest.fixture
def logger(tmp_path: Path) -> Iterator[Editor]:
    folder = tmp_path / "logger"
    folder.mkdir()
    (folder / "main.py").write_text(PROGRAM)
    running = Editor(tmp_path / "library", folder)
    yield running
    running.close()


@needs_browser
def test_the_log_is_shown_live_charted_and_downloaded_as_ubit_run_saves_it(
        logger: Editor, page, tmp_path: Path) -> None:
    program = tmp_path / "prog.py"
    program.write_text(PROGRAM)
    saved = tmp_path / "out.csv"
    proc = run_ubit("run", program, "--headless", "--time", "5", "--log-csv", saved)
    assert proc.returncode == 0, proc.stderr
    expected = saved.read_text()

    page.goto(logger.project_url)
    wait_open(page)
    toggle = page.locator(".board-panel .datalog-toggle")
    assert toggle.is_hidden()  # nothing says which board yet
    page.click(".board-panel .play")
    # the log grows live; then the program ends (in the REPL, as a real board's)
    page.wait_for_function(f"() => {VIEW}.rows() === 9")
    assert toggle.is_visible() and toggle.get_attribute("aria-pressed") == "false"
    toggle.focus()
    page.keyboard.press("Enter")  # keyboard operable
    assert toggle.get_attribute("aria-pressed") == "true"
    page.wait_for_selector(".board-panel .datalog-rows tbody tr")

    csv = page.evaluate(f"() => {VIEW}.csv()")
    assert without_time(csv)[0] == without_time(expected)[0]
    times = without_time(csv)[1]
    assert len(times) == 9 and times == sorted(times)
    assert page.evaluate(f"() => {VIEW}.rows()") == 9

    # the table: every column any heading named, every row, and where "sound" came in
    heads = page.locator(".board-panel .datalog-rows thead th").all_inner_texts()
    assert heads == ["#", "Time (seconds)", "temp", "light", "sound"]
    rows = page.locator(".board-panel .datalog-rows tbody tr:not(.datalog-heading)")
    assert rows.count() == 9
    assert rows.nth(8).locator("td").all_inner_texts()[1:] == ["2", "-2", "5.0"]
    assert rows.nth(0).locator("td").all_inner_texts()[1:] == ["20", "0", ""]
    assert "sound" in page.inner_text(".board-panel .datalog-rows tr.datalog-heading")
    assert "9 rows" in page.inner_text(".board-panel .datalog-summary")

    # the chart: any numeric column, against the time column
    page.select_option(".board-panel .datalog-column", "light")
    page.wait_for_function(f"() => {VIEW}.chart && {VIEW}.chart.series[1].label === 'light'")
    drawn = page.evaluate(f"() => [{VIEW}.chart.data[0], {VIEW}.chart.data[1]]")
    assert drawn[1] == LIGHT and drawn[0] == times
    assert "against Time (seconds)" in page.inner_text(".board-panel .datalog-caption")
    painted = page.evaluate("""() => {
        const canvas = document.querySelector('.board-panel .datalog-chart canvas');
        const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width,
                                                            canvas.height).data;
        let n = 0;
        for (let i = 3; i < pixels.length; i += 4) if (pixels[i] > 0) n++;
        return n;
    }""")
    assert painted > 500  # a line, axes and grid were drawn

    # Download CSV gives the same text
    with page.expect_download() as caught:
        page.click(".board-panel .datalog-download")
    assert Path(caught.value.path()).read_text() == csv

    # a V1 has no data log: no button, no view
    page.select_option(".board-panel select[title='which micro:bit']", "v1")
    page.click(".board-panel .play")
    page.wait_for_function("() => document.querySelector('.board-panel').dataset.status"
                           ".includes('V1')")
    assert toggle.is_hidden() and page.locator(".board-panel .datalog").is_hidden()


@needs_browser
def test_the_table_keeps_the_dom_small_for_a_long_log(logger: Editor, page) -> None:
    page.goto(logger.project_url)
    wait_open(page)
    page.click(".board-panel .play")
    page.wait_for_function(f"() => {VIEW}.rows() === 9")
    page.click(".board-panel .datalog-toggle")
    # a long log arriving as a board sends it: many state messages, then "full"
    page.evaluate(f"""() => {{
        const view = {VIEW};
        view.apply({{lines: ['n,v'], erased: true}});
        for (let i = 0; i < 3000; i += 100) {{
            const lines = [];
            for (let j = i; j < i + 100; j++) lines.push(j + ',' + (j % 7));
            view.apply({{lines}});
        }}
        view.apply({{lines: [], full: true}});
    }}""")
    page.wait_for_function("() => document.querySelector('.board-panel .datalog-summary')"
                           ".textContent.startsWith('3000 rows')")
    assert page.locator(".board-panel .datalog-rows tbody tr").count() == 500
    assert "the last 500 shown" in page.inner_text(".board-panel .datalog-summary")
    assert page.locator(".board-panel .datalog-full").is_visible()
    last = page.locator(".board-panel .datalog-rows tbody tr").last.locator("th").inner_text()
    assert last == "3000"  # the newest row is the one shown last
    assert page.evaluate(f"() => {VIEW}.csv().split('\\n').length") == 3002


@needs_browser
def test_rows_logged_in_a_burst_all_reach_the_view(tmp_path: Path, page) -> None:
    folder = tmp_path / "burst"
    folder.mkdir()
    (folder / "main.py").write_text(BURST)
    program = tmp_path / "burst.py"
    program.write_text(BURST)
    saved = tmp_path / "burst.csv"
    assert run_ubit("run", program, "--headless", "--time", "5", "--log-csv",
                    saved).returncode == 0
    running = Editor(tmp_path / "library", folder)
    try:
        page.goto(running.project_url)
        wait_open(page)
        page.click(".board-panel .play")
        page.wait_for_function(f"() => {VIEW}.csv().includes('late')")
        assert without_time(page.evaluate(f"() => {VIEW}.csv()"))[0] == \
            without_time(saved.read_text())[0]
    finally:
        running.close()
