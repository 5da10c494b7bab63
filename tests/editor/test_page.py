"""The editor in a browser: what a beginner does, with the board beside the code."""

from __future__ import annotations

from pathlib import Path

from tests.editor.browser import Editor, needs_browser

HEART = [[0, 9, 0, 9, 0], [9, 9, 9, 9, 9], [9, 9, 9, 9, 9], [0, 9, 9, 9, 0], [0, 0, 9, 0, 0]]


def leds(page) -> list[list[int]]:
    return page.evaluate("() => window.ubit.workspace.panels[0].picture.levels()")


@needs_browser
def test_play_shows_the_program_on_the_board_and_buttons_reach_it(editor: Editor, page,
                                                                   tmp_path: Path) -> None:
    page.goto(editor.project_url)
    page.wait_for_selector(".cm-content")
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
    assert leds(page)[1] == [0, 0, 0, 0, 9]  # Image.YES
