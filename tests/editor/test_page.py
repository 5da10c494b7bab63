"""The editor in a browser: what a beginner does, with the board beside the code."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from tests.editor.boardprocs import running_boards
from tests.editor.browser import Editor, needs_browser, wait_open

HEART = [[0, 9, 0, 9, 0], [9, 9, 9, 9, 9], [9, 9, 9, 9, 9], [0, 9, 9, 9, 0], [0, 0, 9, 0, 0]]


def leds(page) -> list[list[int]]:
    return page.evaluate("() => window.ubit.workspace.panels[0].picture.levels()")


@needs_browser
def test_play_shows_the_program_on_the_board_and_buttons_reach_it(editor: Editor, page,
                                                                   tmp_path: Path) -> None:
    page.goto(editor.project_url)
    wait_open(page)
    assert page.inner_text(".files li button.open") == "main.py"
    page.click(".board-panel .play")
    page.wait_for_function("() => window.ubit.workspace.panels[0].picture.levels()[1][0] === 9")
    assert leds(page) == HEART
    # a program that reacts to button A (written to disk by another editor: loaded again)
    (tmp_path / "game" / "main.py").write_text(
        "from microbit import *\nwhile True:\n    if button_a.was_pressed():\n"
        "        print('A pressed')\n        display.show(Image.YES)\n    sleep(20)\n")
    page.wait_for_function("() => window.ubit.workspace.editor.text().includes('A pressed')")
    page.click(".board-panel .play")
    page.wait_for_function("() => document.querySelector('.board-panel').dataset.status"
                           ".startsWith('running')")
    page.locator(".board-panel g.button").first.click()
    page.wait_for_function("() => window.ubit.workspace.panels[0].terminal.text()"
                           ".includes('A pressed')")
    # the program prints, then shows: the LEDs follow a moment after the text
    page.wait_for_function("() => window.ubit.workspace.panels[0].picture.levels()[1]"
                           ".join() === '0,0,0,0,9'")  # Image.YES


def open_project(page, editor: Editor) -> None:
    page.goto(editor.project_url)
    wait_open(page)
    page.wait_for_function("() => window.ubit && window.ubit.workspace")


def set_code(page, code: str) -> None:
    """Replace the open file's text (as a paste would) and wait until it is saved."""
    page.evaluate("""(code) => {
        const view = window.ubit.workspace.editor.view;
        view.dispatch({changes: {from: 0, to: view.state.doc.length, insert: code}});
    }""", code)
    page.evaluate("() => window.ubit.workspace.flush()")


def play(page, board: int = 0) -> None:
    page.locator(".board-panel .play").nth(board).click()
    page.wait_for_function(f"() => document.querySelectorAll('.board-panel')[{board}]"
                           ".dataset.status.startsWith('running')")


def terminal(page, board: int = 0) -> str:
    return page.evaluate(f"() => window.ubit.workspace.panels[{board}].terminal.text()")


@needs_browser
def test_a_traceback_line_clicked_moves_the_cursor_there(editor: Editor, page) -> None:
    open_project(page, editor)
    set_code(page, "print('before')\nx = 1\n\nprint(y)\n")
    play(page)
    page.wait_for_function("() => window.ubit.workspace.panels[0].terminal.text()"
                           ".includes('NameError')")
    text = terminal(page)
    assert "before" in text and 'File "main.py", line 4' in text
    # the error's line is marked in the editor when the program ends with it
    page.wait_for_selector(".cm-error-line")
    assert page.inner_text(".cm-error-line") == "print(y)"
    page.evaluate("() => window.ubit.workspace.editor.view.dispatch({selection: {anchor: 0}})")
    # click the traceback's link in the terminal: the cursor goes to line 4
    page.locator(".board-panel .terminal").first.scroll_into_view_if_needed()
    page.wait_for_function("""() => [...document.querySelectorAll('.xterm-rows > div')]
        .some(r => r.textContent.includes('line 4'))""")
    box = page.evaluate("""() => {
        const rows = [...document.querySelectorAll('.board-panel .xterm-rows > div')];
        const row = rows.find(r => r.textContent.replace(/\\u00a0/g, ' ')
                                    .includes('File "main.py", line 4'));
        const r = row.getBoundingClientRect();
        return {x: r.x, y: r.y, height: r.height};
    }""")
    page.mouse.move(box["x"] + 40, box["y"] + box["height"] / 2)
    page.mouse.click(box["x"] + 40, box["y"] + box["height"] / 2)
    page.wait_for_function("() => window.ubit.workspace.editor.cursorLine() === 4")


@needs_browser
def test_download_gives_a_hex_that_extracts_to_the_project(editor: Editor, page,
                                                           tmp_path: Path) -> None:
    open_project(page, editor)
    (tmp_path / "game" / "helpers.py").write_text("def double(x):\n    return 2 * x\n")
    page.wait_for_selector(".files li button:text('helpers.py')")
    with page.expect_download() as info:
        page.click(".download-hex")
    hex_path = tmp_path / "out.hex"
    info.value.save_as(hex_path)
    assert info.value.suggested_filename == "game.hex"
    out = tmp_path / "extracted"
    proc = subprocess.run([sys.executable, "-m", "ubit", "hex", "extract", str(hex_path), "-o",
                           str(out)], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    for name in ("main.py", "helpers.py"):
        assert (out / name).read_bytes() == (tmp_path / "game" / name).read_bytes()


@needs_browser
def test_load_of_a_hex_recreates_its_files(editor: Editor, page, tmp_path: Path) -> None:
    source = tmp_path / "src"
    source.mkdir()
    (source / "main.py").write_text("import lib\nprint(lib.WORD)\n")
    (source / "lib.py").write_text("WORD = 'loaded'\n")
    hex_path = tmp_path / "game.hex"
    subprocess.run([sys.executable, "-m", "ubit", "hex", "build", str(source / "main.py"),
                    str(source / "lib.py"), "-o", str(hex_path)], check=True, timeout=60)
    open_project(page, editor)
    page.set_input_files(".load-input", str(hex_path))
    page.wait_for_selector(".files li button:text('lib.py')")
    assert (tmp_path / "game" / "lib.py").read_text() == "WORD = 'loaded'\n"
    page.wait_for_function("() => window.ubit.workspace.editor.text().includes('import lib')")
    play(page)
    page.wait_for_function("() => window.ubit.workspace.panels[0].terminal.text()"
                           ".includes('loaded')")


@needs_browser
def test_reload_keeps_everything(editor: Editor, page, tmp_path: Path) -> None:
    open_project(page, editor)
    page.click(".cm-content")
    page.keyboard.press("Control+End")
    page.keyboard.type("print('typed just now')")
    page.reload()  # at once: the edit was not saved by the timer yet
    page.wait_for_function("() => window.ubit && window.ubit.workspace")
    page.wait_for_function("() => window.ubit.workspace.editor.text().includes('typed just now')")
    assert "typed just now" in (tmp_path / "game" / "main.py").read_text()


LAG_MONITOR = """() => {
    // how late a 50 ms timer fires: the longest the page's thread was busy (an input waits as long)
    window.__lag = {max: 0};
    let last = performance.now();
    const tick = () => {
        const now = performance.now();
        window.__lag.max = Math.max(window.__lag.max, now - last - 50);
        last = now;
        setTimeout(tick, 50);
    };
    setTimeout(tick, 50);
}"""


@needs_browser
def test_a_print_flood_leaves_the_page_responsive(editor: Editor, page) -> None:
    open_project(page, editor)
    set_code(page, "from microbit import *\nn = 0\nwhile True:\n    n += 1\n"
                   "    print('flood', n, 'x' * 60)\n    display.set_pixel(n % 5, 2, n % 10)\n")
    play(page)
    page.evaluate(LAG_MONITOR)
    memory = page.evaluate("() => performance.memory.usedJSHeapSize")
    began = time.monotonic()
    while time.monotonic() - began < 10:
        page.keyboard.press("Home")
        time.sleep(0.5)
    worst = page.evaluate("() => window.__lag.max")
    assert worst < 200, f"the page's thread was busy for {worst:.0f} ms at once"
    lines = page.evaluate("() => window.ubit.workspace.panels[0].terminal.term.buffer.active"
                          ".length")
    assert lines <= 2000 + 100  # the scrollback is bounded
    assert "flood" in terminal(page)
    grown = page.evaluate("() => performance.memory.usedJSHeapSize") - memory
    assert grown < 50 * 1024 * 1024, f"the page grew by {grown / 1e6:.0f} MB"


@needs_browser
def test_two_boards_exchange_a_radio_message(editor: Editor, page, tmp_path: Path) -> None:
    (tmp_path / "game" / "main.py").write_text(
        "from microbit import *\nimport radio\nradio.on()\nwhile True:\n"
        "    if button_a.was_pressed():\n        radio.send('hello')\n        print('sent')\n"
        "    sleep(20)\n")
    (tmp_path / "game" / "recv.py").write_text(
        "from microbit import *\nimport radio\nradio.on()\nwhile True:\n"
        "    m = radio.receive()\n    if m:\n        print('got', m)\n"
        "        display.show(Image.HEART)\n    sleep(10)\n")
    open_project(page, editor)
    page.click(".add-board")
    page.wait_for_function("() => window.ubit.workspace.panels.length === 2")
    page.evaluate("() => window.ubit.workspace.panels[1].setMain('recv.py')")
    play(page, 0)
    play(page, 1)
    page.locator(".board-panel").nth(0).locator("g.button").first.click()
    page.wait_for_function("() => window.ubit.workspace.panels[1].terminal.text()"
                           ".includes('got hello')")
    assert "sent" in terminal(page, 0)
    # the heart is drawn at the display's next refresh, up to 6 ms after the print
    page.wait_for_function("() => window.ubit.workspace.panels[1].picture.levels()[1]"
                           ".every(level => level === 9)", timeout=5000)



@needs_browser
def test_closing_the_tab_stops_its_boards(editor: Editor, page, tmp_path: Path) -> None:
    (tmp_path / "game" / "main.py").write_text(
        "from microbit import *\nwhile True:\n    display.scroll('busy')\n")
    open_project(page, editor)
    page.click(".add-board")
    page.wait_for_function("() => window.ubit.workspace.panels.length === 2")
    play(page, 0)
    play(page, 1)
    assert len(running_boards(editor.proc.pid)) == 2
    page.close()
    deadline = time.monotonic() + 5
    while running_boards(editor.proc.pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert running_boards(editor.proc.pid) == []
    assert editor.proc.poll() is None  # the editor itself goes on for the next tab
