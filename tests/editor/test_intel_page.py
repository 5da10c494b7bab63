"""Code intelligence in the browser editor: problems underlined (not on the line being typed),
the board choice the checks follow, completion with docs, call tips, hover docs, and the API
reference panel."""

from __future__ import annotations

import time

from tests.editor.browser import Editor, needs_browser, wait_open
from tests.editor.test_page import open_project, set_code

HEAD = "from microbit import *\n"


def code(page) -> str:
    return page.evaluate("() => window.ubit.workspace.editor.text()")


def cursor_to(page, line: int, end: bool = True) -> None:
    """Put the cursor at the end (or start) of ``line`` with the editor focused."""
    page.evaluate("""([line, end]) => {
        const view = window.ubit.workspace.editor.view;
        const l = view.state.doc.line(line);
        view.focus();
        view.dispatch({selection: {anchor: end ? l.to : l.from}});
    }""", [line, end])


def underlined(page) -> list[str]:
    return page.eval_on_selector_all(".cm-lintRange-error, .cm-lintRange-warning",
                                     "nodes => nodes.map(n => n.textContent)")


@needs_browser
def test_a_misspelt_name_is_underlined_with_a_gutter_mark_that_says_what(editor: Editor,
                                                                          page) -> None:
    open_project(page, editor)
    set_code(page, HEAD + "display.scrol('x')\n")
    page.wait_for_selector(".cm-lintRange-error")
    assert underlined(page) == ["scrol"]
    marker = page.locator(".cm-lint-marker-error")
    assert marker.count() == 1
    marker.hover()
    page.wait_for_selector(".cm-tooltip-lint")
    assert "scroll" in page.inner_text(".cm-tooltip-lint")
    set_code(page, HEAD + "display.scroll('x')\n")  # fixed: the mark goes
    page.wait_for_function("() => !document.querySelector('.cm-lintRange-error')")
    assert page.locator(".cm-lint-marker-error").count() == 0


@needs_browser
def test_the_line_being_typed_is_not_underlined_until_the_cursor_leaves_it(editor: Editor,
                                                                            page) -> None:
    open_project(page, editor)
    set_code(page, HEAD + "display.show(1)\n\n")
    cursor_to(page, 3)
    page.keyboard.type("display.sc")  # half-typed: the check says 'sc' isn't there
    started = time.monotonic()
    page.wait_for_function(  # the check of the typed text has been made
        "() => window.ubit.workspace.editor.text().includes('display.sc')")
    time.sleep(1.6)  # well past the 700 ms pause before a check
    assert underlined(page) == []
    assert time.monotonic() - started < 3  # still inside the hold
    cursor_to(page, 1)  # the cursor leaves the line: now it is shown
    page.wait_for_selector(".cm-lintRange-error", timeout=2500)
    assert underlined(page) == ["sc"]
    # and a problem on another line than the cursor's is shown at once
    cursor_to(page, 1)
    set_code(page, HEAD + "display.sho(1)\n")
    page.wait_for_function("() => [...document.querySelectorAll('.cm-lintRange-error')]"
                           ".some(n => n.textContent === 'sho')", timeout=2500)


@needs_browser
def test_a_problem_held_on_the_typed_line_shows_after_a_few_seconds(editor: Editor,
                                                                    page) -> None:
    open_project(page, editor)
    set_code(page, HEAD + "\n")
    cursor_to(page, 2)
    page.keyboard.type("display.scrol('x')")
    time.sleep(1.5)
    assert underlined(page) == []
    page.wait_for_selector(".cm-lintRange-error", timeout=5000)  # without moving
    assert underlined(page) == ["scrol"]


@needs_browser
def test_the_board_choice_decides_what_is_an_error_and_is_remembered(editor: Editor,
                                                                     page) -> None:
    open_project(page, editor)
    set_code(page, HEAD + "print(microphone.sound_level())\n")
    page.select_option(".toolbar .board-select", "v1")
    page.wait_for_selector(".cm-lintRange-error")
    assert underlined(page) == ["microphone"]
    page.select_option(".toolbar .board-select", "v2")
    page.wait_for_function("() => !document.querySelector('.cm-lintRange-error, "
                           ".cm-lintRange-warning')")
    time.sleep(1)
    assert underlined(page) == []
    page.select_option(".toolbar .board-select", "both")  # a V1 would stop: a warning
    page.wait_for_selector(".cm-lintRange-warning")
    page.select_option(".toolbar .board-select", "v1")
    page.reload()
    wait_open(page)
    assert page.input_value(".toolbar .board-select") == "v1"
    page.wait_for_selector(".cm-lintRange-error")


@needs_browser
def test_typing_a_dot_opens_the_completion_list_with_docs(editor: Editor, page) -> None:
    open_project(page, editor)
    set_code(page, HEAD + "\n")
    cursor_to(page, 2)
    page.keyboard.type("display.")
    page.wait_for_selector(".cm-tooltip-autocomplete li")
    labels = page.eval_on_selector_all(".cm-tooltip-autocomplete li .cm-completionLabel",
                                       "nodes => nodes.map(n => n.textContent)")
    assert {"scroll", "show", "clear"} <= set(labels)
    page.wait_for_selector(".cm-completionInfo")
    assert page.inner_text(".cm-completionInfo").strip()  # the selected name's doc
    page.keyboard.type("scr")
    page.wait_for_function("() => [...document.querySelectorAll('.cm-completionLabel')]"
                           ".map(n => n.textContent).join() === 'scroll'")
    assert "Scroll text" in page.inner_text(".cm-completionInfo")
    page.keyboard.press("Enter")
    assert code(page) == HEAD + "display.scroll\n"


@needs_browser
def test_a_v2_only_name_says_so_in_the_completion_list(editor: Editor, page) -> None:
    open_project(page, editor)
    set_code(page, HEAD + "\n")
    cursor_to(page, 2)
    page.keyboard.type("microph")
    page.wait_for_function("() => [...document.querySelectorAll('.cm-completionLabel')]"
                           ".some(n => n.textContent === 'microphone')")
    page.wait_for_selector(".cm-completionInfo")
    assert "V2 only" in page.inner_text(".cm-tooltip-autocomplete")


@needs_browser
def test_a_call_tip_follows_the_arguments_being_typed(editor: Editor, page) -> None:
    open_project(page, editor)
    set_code(page, "import music\n\n")
    cursor_to(page, 2)
    page.keyboard.type("music.play(")
    page.wait_for_selector(".cm-calltip")
    assert "pin=pin0" in page.inner_text(".cm-calltip-signature")
    assert page.inner_text(".cm-calltip-current") == "music"
    page.keyboard.type("'C4', ")
    page.wait_for_function("() => document.querySelector('.cm-calltip-current')?.textContent"
                           " === 'pin=pin0'")
    page.keyboard.type("pin0)")
    page.wait_for_function("() => !document.querySelector('.cm-calltip')")


@needs_browser
def test_hovering_a_name_shows_its_doc(editor: Editor, page) -> None:
    open_project(page, editor)
    set_code(page, HEAD + "x = accelerometer.get_x()\n")
    box = page.evaluate("""() => {
        const view = window.ubit.workspace.editor.view;
        const at = view.state.doc.toString().indexOf('get_x') + 2;
        const c = view.coordsAtPos(at);
        return {x: c.left, y: (c.top + c.bottom) / 2};
    }""")
    page.mouse.move(box["x"], box["y"])
    page.wait_for_selector(".cm-hover-doc")
    text = page.inner_text(".cm-hover-doc")
    assert "get_x()" in text and "Acceleration left-right" in text


@needs_browser
def test_the_reference_finds_a_name_and_inserts_its_example(editor: Editor, page) -> None:
    open_project(page, editor)
    set_code(page, "")
    page.click(".toolbar .reference")
    page.wait_for_selector(".reference-panel .reference-entry")
    assert page.evaluate("() => document.activeElement.className") == "reference-search"
    page.keyboard.type("display.scroll")
    visible = page.locator(".reference-entry:visible")
    assert visible.count() == 1
    assert visible.get_attribute("data-name") == "display.scroll"
    assert "scroll(text, delay=150" in visible.inner_text()
    assert page.locator(".reference-panel .badge.v2:visible").count() == 0
    page.keyboard.press("ArrowDown")  # to its Insert button
    page.keyboard.press("Enter")
    page.wait_for_function("() => window.ubit.workspace.editor.text().includes('scroll')")
    assert code(page) == "from microbit import *\ndisplay.scroll('hello')\n"
    assert page.locator(".reference-panel").count() == 0
    # V2-only names are badged; on V1 they aren't there at all
    page.click(".toolbar .reference")
    page.fill(".reference-search", "microphone sound_level")
    entry = page.locator(".reference-entry:visible")
    assert entry.count() == 1 and entry.locator(".badge.v2").count() == 1
    page.keyboard.press("Escape")
    page.select_option(".toolbar .board-select", "v1")
    page.click(".toolbar .reference")
    page.wait_for_selector(".reference-panel .reference-entry")
    page.fill(".reference-search", "microphone sound_level")
    assert page.locator(".reference-entry:visible").count() == 0


@needs_browser
def test_a_program_too_long_for_the_v1_to_compile_is_marked(editor: Editor, page,
                                                            tmp_path) -> None:
    # 60 small functions: the V1 stops with MemoryError before the first line runs
    functions = "".join(f"def f{i}(a, b):\n    return a + b * {i}\n" for i in range(60))
    open_project(page, editor)
    set_code(page, functions)
    page.select_option(".toolbar .board-select", "v1")
    marker = page.locator(".cm-lint-marker-error")
    marker.first.wait_for()
    marker.first.hover()
    page.wait_for_selector(".cm-tooltip-lint")
    assert "too long for the V1 to compile" in page.inner_text(".cm-tooltip-lint")
    page.screenshot(path=str(tmp_path / "too-long-v1.png"))  # to look at: --basetemp
    page.select_option(".toolbar .board-select", "v2")  # the V2 compiles it
    page.wait_for_function("() => !document.querySelector('.cm-lint-marker-error')")
