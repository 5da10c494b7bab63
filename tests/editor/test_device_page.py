"""The editor's "micro:bit on USB" panel in a browser, against boards on real serial ports:
the virtual board of ``ubit sim`` on a pseudo-terminal, and the real V1 firmware under QEMU.

Everything is done as a person does it: type the port, Connect, type into the REPL, copy
files with the Files pane, press Flash.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tty
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.editor.browser import Editor, needs_browser, wait_open
from ubit.device.qemu import QemuBoard, find_qemu

requires_qemu = pytest.mark.skipif(find_qemu() is None, reason="qemu-system-arm not installed")
TARGETS = ["sim", pytest.param("qemu", marks=[pytest.mark.qemu, requires_qemu])]
# nearly 20 KB, every byte value: what a V2's filesystem holds (20,160 bytes in all)
BLOB = bytes((i * 7 + i // 256) % 256 for i in range(19_000))
SLOW = 60_000  # ms: QEMU runs the firmware in real time, on a busy machine


@pytest.fixture
def sim_port(tmp_path: Path) -> Iterator[str]:
    """A fresh ``ubit sim`` V2 board's pseudo-terminal."""
    folder = tmp_path / "sim"
    folder.mkdir()
    proc = subprocess.Popen([sys.executable, "-m", "ubit", "sim"], cwd=folder,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert proc.stdout is not None and proc.stderr is not None
    line = proc.stdout.readline()
    assert " on /dev/" in line, (line, proc.stderr.read() if proc.poll() is not None else "")
    yield line.split(" on ", 1)[1].strip()
    proc.terminate()
    proc.wait(timeout=10)


@pytest.fixture(scope="module")
def qemu_port() -> Iterator[str]:
    """The real V1 firmware under QEMU, one for the whole file (it is slow to drive)."""
    from ubit.hexfile import V1, bundled_runtime_path

    board = QemuBoard(bundled_runtime_path(V1).read_text(), serial="pty").start()
    assert board.pty_path is not None
    # Hold the terminal open: QEMU drops output while nothing has it open (between tests).
    # Raw, or the terminal would echo the board's output back to it as typed input.
    holder = os.open(board.pty_path, os.O_RDWR | os.O_NOCTTY)
    tty.setraw(holder)
    yield board.pty_path
    board.close()
    os.close(holder)


@pytest.fixture
def port(request: pytest.FixtureRequest) -> str:
    """The serial port of the board the test is parametrized for."""
    return request.getfixturevalue("sim_port" if request.param == "sim" else "qemu_port")


def connect(page, editor: Editor, port: str) -> None:
    """Open the project, show the USB panel, type the port and connect."""
    page.goto(editor.project_url)
    wait_open(page)
    page.click("button.device-toggle")
    page.fill(".device-port", port)
    page.click(".device-connect")
    page.wait_for_function("() => document.querySelector('.device-panel').dataset.state"
                           " === 'connected'", timeout=SLOW)
    assert port in page.inner_text(".device-status")


def terminal(page) -> str:
    return page.evaluate("() => window.ubit.device.terminal.text()")


def wait_printed(page, text: str, times: int = 1) -> None:
    """Wait until ``text`` has appeared ``times`` times in the terminal."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        page.wait_for_function("([text, times]) => window.ubit.device.terminal.text()"
                               ".split(text).length > times", arg=[text, times], timeout=SLOW)
    except PlaywrightTimeout:
        status = page.inner_text(".device-status")
        raise AssertionError(f"{text!r} not printed {times} time(s); status {status!r}; "
                             f"terminal:\n{terminal(page).rstrip()}") from None


def type_line(page, line: str) -> None:
    page.click(".device-terminal")
    page.keyboard.type(line)
    page.keyboard.press("Enter")


def board_file(page, name: str):
    return page.locator(f".device-panel .board-file[data-name='{name}']")


@needs_browser
@pytest.mark.parametrize("port", TARGETS, indirect=True)
def test_the_repl_of_a_board_on_a_serial_port(editor: Editor, page, port: str) -> None:
    connect(page, editor, port)
    type_line(page, "")  # a fresh prompt, whatever the board was doing
    wait_printed(page, ">>>")
    type_line(page, "6*7")
    wait_printed(page, "\n42")
    # a program that never ends, stopped with Ctrl-C
    type_line(page, "while True: pass")
    page.keyboard.press("Enter")  # the end of the compound statement: it runs
    page.keyboard.press("Control+C")
    wait_printed(page, "KeyboardInterrupt")
    # Ctrl-D: a soft reboot, its banner again
    banners = terminal(page).count("soft reboot")
    page.keyboard.press("Control+D")
    wait_printed(page, "soft reboot", banners + 1)
    wait_printed(page, 'Type "help()"')
    # and the panel lets go of the port on request
    page.click(".device-disconnect")
    page.wait_for_function("() => document.querySelector('.device-panel').dataset.state"
                           " === 'disconnected'")


@needs_browser
@pytest.mark.parametrize("port", TARGETS, indirect=True)
def test_a_binary_file_goes_to_the_board_and_comes_back_the_same(editor: Editor, page,
                                                                  tmp_path: Path,
                                                                  port: str) -> None:
    project = tmp_path / "game"
    (project / "blob.bin").write_bytes(BLOB)
    page.on("dialog", lambda dialog: dialog.accept())  # "delete …?" asks first
    connect(page, editor, port)
    page.click(".device-files-toggle")
    assert page.get_attribute(".device-files-toggle", "aria-expanded") == "true"
    page.wait_for_selector(".device-panel .board-files-free:has-text('free')", timeout=SLOW)
    # the project's file dragged onto the board's list: copied onto the board
    page.locator(".files li", has_text="blob.bin").drag_to(page.locator(".device-panel "
                                                                         ".board-file-list"))
    board_file(page, "blob.bin").wait_for(timeout=SLOW)
    assert "19 KB" in board_file(page, "blob.bin").inner_text()
    # gone from the project, then back from the board: the same bytes
    page.locator(".files li", has_text="blob.bin").get_by_role("button", name="✕").click()
    page.wait_for_function("() => !window.ubit.workspace.fileNames().includes('blob.bin')")
    assert not (project / "blob.bin").exists()
    board_file(page, "blob.bin").get_by_role("button", name="⬅ to project").click()
    page.wait_for_function("() => window.ubit.workspace.fileNames().includes('blob.bin')",
                           timeout=SLOW)
    assert (project / "blob.bin").read_bytes() == BLOB
    # deleted from the board: the list shows it
    board_file(page, "blob.bin").get_by_role("button",
                                             name="delete blob.bin from the board").click()
    board_file(page, "blob.bin").wait_for(state="detached", timeout=SLOW)
    assert "deleted" in page.inner_text(".device-panel .board-files-note")


@needs_browser
@pytest.mark.parametrize("port", TARGETS, indirect=True)
def test_flash_sends_the_project_and_the_board_runs_it(editor: Editor, page, tmp_path: Path,
                                                      port: str) -> None:
    project = tmp_path / "game"
    (project / "main.py").write_text("from greet import words\nprint(words())\n")
    (project / "greet.py").write_text("def words():\n    return 'flashed: ' + 'hello'\n")
    connect(page, editor, port)
    page.click("button.flash-board")
    wait_printed(page, "flashed: hello")
    page.wait_for_function("() => !document.querySelector('button.flash-board').disabled",
                           timeout=SLOW)
    assert not page.is_visible(".flash-progress")
    assert "trouble" not in (page.get_attribute(".status", "class") or "")
    # the program is on the board: a soft reboot runs it again
    page.click(".device-soft-reset")
    wait_printed(page, "flashed: hello", 2)


@needs_browser
def test_a_port_that_is_not_there_says_so_in_one_line(editor: Editor, page) -> None:
    page.goto(editor.project_url)
    wait_open(page)
    page.click("button.device-toggle")
    page.fill(".device-port", "/dev/pts/987654")
    page.click(".device-connect")
    page.wait_for_selector(".device-status.trouble")
    message = page.inner_text(".device-status")
    assert "/dev/pts/987654" in message and "\n" not in message.strip()
    assert "Traceback" not in message
    assert page.evaluate("() => document.querySelector('.device-panel').dataset.state") != \
        "connected"


@needs_browser
def test_the_files_of_a_virtual_board(editor: Editor, page, tmp_path: Path) -> None:
    (tmp_path / "game" / "notes.txt").write_text("remember the milk\n")
    page.on("dialog", lambda dialog: dialog.accept())
    page.goto(editor.project_url)
    wait_open(page)
    page.click(".board-panel .play")
    page.wait_for_function("() => document.querySelector('.board-panel').dataset.status"
                           ".startsWith('running')")
    page.click(".board-panel .board-files-toggle")
    pane = page.locator(".board-panel .board-files")
    pane.locator(".board-file[data-name='main.py']").wait_for()
    # a project file copied onto the board with the "Copy to board" choice
    pane.locator(".board-files-choice").select_option("notes.txt")
    pane.get_by_role("button", name="➡ to board").click()
    pane.locator(".board-file[data-name='notes.txt']").wait_for()
    assert "18 B" in pane.locator(".board-file[data-name='notes.txt']").inner_text()
    # and deleted from it
    pane.get_by_role("button", name="delete notes.txt from the board").click()
    pane.locator(".board-file[data-name='notes.txt']").wait_for(state="detached")
    # a file from the desktop dropped on the board's list goes to the board, not the project
    page.evaluate("""() => {
        const data = new DataTransfer();
        data.items.add(new File(['from the desktop\\n'], 'desk.txt'));
        document.querySelector('.board-panel .board-file-list').dispatchEvent(
            new DragEvent('drop', {dataTransfer: data, bubbles: true, cancelable: true}));
    }""")
    desk = pane.locator(".board-file[data-name='desk.txt']")
    desk.wait_for()
    assert "desk.txt" not in page.evaluate("() => window.ubit.workspace.fileNames()")
    # dragged from the board onto the project's files: copied into the project
    desk.drag_to(page.locator("nav.files"))
    page.wait_for_function("() => window.ubit.workspace.fileNames().includes('desk.txt')")
    assert (tmp_path / "game" / "desk.txt").read_text() == "from the desktop\n"
    # "Open" brings a board file into the project and shows it in the editor
    (tmp_path / "game" / "desk.txt").unlink()
    page.wait_for_function("() => !window.ubit.workspace.fileNames().includes('desk.txt')")
    desk.get_by_role("button", name="Open").click()
    page.wait_for_function("() => window.ubit.workspace.editor.text() === 'from the desktop\\n'")
    assert page.inner_text(".files li button.open") == "desk.txt"


@needs_browser
def test_a_board_that_goes_away_shows_as_lost(editor: Editor, page, tmp_path: Path) -> None:
    folder = tmp_path / "sim"
    folder.mkdir()
    proc = subprocess.Popen([sys.executable, "-m", "ubit", "sim"], cwd=folder,
                            stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    port = proc.stdout.readline().split(" on ", 1)[1].strip()
    try:
        connect(page, editor, port)
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    page.wait_for_function("() => document.querySelector('.device-panel').dataset.state"
                           " === 'lost'")
    assert port in page.inner_text(".device-status")


@needs_browser
def test_flash_with_no_board_anywhere_says_what_to_do(editor: Editor, page) -> None:
    from ubit.device.discovery import find_microbits

    if find_microbits():
        pytest.skip("a micro:bit is plugged into this computer")
    page.goto(editor.project_url)
    wait_open(page)
    page.click("button.flash-board")  # the USB panel closed, no port connected
    page.wait_for_selector(".status.trouble")
    message = page.inner_text(".status")
    assert "micro:bit" in message and "Traceback" not in message and "\n" not in message
    assert not page.is_disabled("button.flash-board")
