"""The editor's Tidy button: the open file laid out by black, one Undo away from before."""

from __future__ import annotations

import time
from pathlib import Path

from tests.editor.browser import Editor, needs_browser
from tests.editor.test_page import open_project, set_code
from ubit.check.tidy import tidy_source

MESSY = "from microbit import *\nwhile True :\n  display.show( Image.HEART );sleep( 500 )\n"


def code(page) -> str:
    return page.evaluate("() => window.ubit.workspace.editor.text()")


def saved(path: Path, text: str) -> bool:
    deadline = time.monotonic() + 5
    while path.read_text() != text and time.monotonic() < deadline:
        time.sleep(0.05)
    return path.read_text() == text


@needs_browser
def test_tidy_lays_out_the_code_saves_it_and_undo_takes_it_back(editor: Editor, page,
                                                                 tmp_path: Path) -> None:
    main = tmp_path / "game" / "main.py"
    open_project(page, editor)
    set_code(page, MESSY)
    page.click(".toolbar .tidy")
    page.wait_for_function("() => window.ubit.workspace.editor.text().includes('while True:')")
    assert code(page) == tidy_source(MESSY)
    assert "tidied" in page.inner_text(".status")
    assert saved(main, tidy_source(MESSY))
    page.click(".cm-content")
    page.keyboard.press("Control+z")
    page.wait_for_function("(t) => window.ubit.workspace.editor.text() === t", arg=MESSY)
    page.click(".toolbar .tidy")
    page.wait_for_function("() => window.ubit.workspace.editor.text().includes('while True:')")
    page.click(".toolbar .tidy")
    page.wait_for_function("() => document.querySelector('.status').textContent"
                           ".includes('tidy already')")


@needs_browser
def test_tidy_of_code_with_a_syntax_error_marks_the_line_and_changes_nothing(
        editor: Editor, page, tmp_path: Path) -> None:
    broken = "from microbit import *\nif True:\ndisplay.scroll('x')\n"
    open_project(page, editor)
    set_code(page, broken)
    page.click(".toolbar .tidy")
    page.wait_for_selector(".status.trouble")
    status = page.inner_text(".status")
    assert status.startswith("main.py:3:1: can't tidy") and "\n" not in status
    assert page.inner_text(".cm-error-line") == "display.scroll('x')"
    assert code(page) == broken
    assert (tmp_path / "game" / "main.py").read_text() == broken
