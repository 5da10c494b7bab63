"""The snippets panel: every snippet runs on the virtual board, its data is well formed, and in
the page a beginner finds one, inserts it and sees it work."""

from __future__ import annotations

import functools
import os
import re
import tomllib
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from tests.editor.browser import Editor, needs_browser, wait_open
from tests.sim.runner import Result, run_program
from tests.ubitcli import ROOT
from ubit.editor.projects import ProjectStore
from ubit.editor.server import build_app
from ubit.editor.snippets import SNIPPETS, Snippet, SnippetError, load_snippets

RUN_MS = 3000  # virtual time each snippet runs for: endless loops end here ("timeout")
V2_ONLY_INPUTS = {"pin_logo", "sound"}  # inputs a V1 board doesn't have
ALL = load_snippets()
# the list of the micro:bit API: each has a topic of its own
TOPICS = {"Display", "Images", "Buttons", "Pins and touch", "Sensors", "Movement and gestures",
          "Music", "Speech", "Sound effects", "Radio", "Files", "Data logging", "NeoPixel",
          "I2C, SPI and UART"}
# names that only a V2 has: a snippet that uses one must say boards = ["v2"]
V2_NAMES = re.compile(r"\b(microphone|SoundEvent|Sound\.|SoundEffect|speaker|pin_logo|"
                      r"set_volume|run_every|import log|import power)\b")


def name(snippet: Snippet) -> str:
    return f"{snippet.file.removesuffix('.toml')}:{snippet.title}"


V2_ONLY = [s for s in ALL if s.v2_only]
Run = tuple[Snippet, str, bool]  # a snippet, a board, with its scripted inputs or without
RUNS: list[Run] = [*((s, b, True) for s in ALL for b in s.boards),  # each snippet works
                   *((s, "v2", False) for s in ALL if s.inputs),  # ... its inputs matter
                   *((s, "v1", True) for s in V2_ONLY)]  # ... a V1 can't run a V2 one


def run_one(job: Run) -> Result | BaseException:
    snippet, board, with_inputs = job
    inputs = snippet.inputs if with_inputs else ()
    if board not in snippet.boards:  # the inputs a V1 has still come: a snippet that
        inputs = tuple(i for i in inputs if i[1] not in V2_ONLY_INPUTS)  # waits for A gets on
    try:
        return run_program(snippet.code, board=board, time_limit_ms=RUN_MS, inputs=inputs)
    except Exception as exc:  # reported by the test that asks for this run
        return exc


@functools.cache
def all_runs() -> dict[Run, Result | BaseException]:
    """Every run the tests below look at, made once, a few boards at a time."""
    with ThreadPoolExecutor(max_workers=(os.cpu_count() or 1) + 1) as pool:
        return dict(zip(RUNS, pool.map(run_one, RUNS), strict=True))


def run(snippet: Snippet, board: str, inputs: bool = True) -> Result:
    result = all_runs()[(snippet, board, inputs)]
    if isinstance(result, BaseException):
        raise result
    return result


def effects(result: Result) -> tuple[Any, ...]:
    """What a run did that one can see or hear: its output, the states of the board's parts
    that aren't inputs, its sounds."""
    inputs = {spec["id"] for spec in result.messages[0]["inputs"]}
    states = [(t, part, repr(value)) for t, part, value in result.states if part not in inputs]
    return result.text, states, repr(result.audio)


# -- every snippet works -----------------------------------------------------------------------
@pytest.mark.parametrize("snippet, board", [(s, b) for s in ALL for b in s.boards],
                         ids=[f"{name(s)}:{b}" for s in ALL for b in s.boards])
def test_every_snippet_runs_without_an_error(snippet: Snippet, board: str) -> None:
    result = run(snippet, board)
    assert result.status in ("ok", "timeout"), \
        f"{name(snippet)} on {board}: {result.status}: {result.error}\n{result.text}"
    assert "Traceback" not in result.output, result.text


@pytest.mark.parametrize("snippet", [s for s in ALL if s.inputs],
                         ids=[name(s) for s in ALL if s.inputs])
def test_scripted_inputs_make_a_snippet_do_what_it_is_for(snippet: Snippet) -> None:
    # the presses, touches and readings reach the part of the code that answers them
    assert effects(run(snippet, "v2")) != effects(run(snippet, "v2", inputs=False))


@pytest.mark.parametrize("snippet", V2_ONLY, ids=[name(s) for s in V2_ONLY])
def test_a_v2_only_snippet_fails_on_a_v1(snippet: Snippet) -> None:
    # "V2 only" is honest: on a V1 the program stops with an error
    result = run(snippet, "v1")
    assert result.status == "error", f"{name(snippet)} runs on a V1: {result.text}"
    assert "Traceback" in result.output


def test_the_v2_parts_are_marked_v2_only() -> None:
    for snippet in ALL:
        if V2_NAMES.search(snippet.code):
            assert snippet.v2_only, f"{name(snippet)} uses a V2 part but says it runs on a V1"
    by_topic = {topic: [s for s in ALL if s.topic == topic] for topic in TOPICS}
    assert all(s.v2_only for s in by_topic["Data logging"])
    assert sum(s.v2_only for s in by_topic["Sound effects"]) >= 5
    assert any("microphone" in s.code for s in by_topic["Sensors"] if s.v2_only)
    # ... and most snippets are for every micro:bit
    assert len(V2_ONLY) < len(ALL) // 3


# -- the data ------------------------------------------------------------------------------------
def test_the_snippets_cover_the_api_in_one_file_per_topic() -> None:
    assert TOPICS <= {s.topic for s in ALL}
    assert 60 <= len(ALL) <= 100
    files = sorted(path.name for path in SNIPPETS.glob("*.toml"))
    assert len(files) == len({s.topic for s in ALL}) == len({s.file for s in ALL})
    for topic in {s.topic for s in ALL}:
        assert len({s.file for s in ALL if s.topic == topic}) == 1
        assert sum(s.topic == topic for s in ALL) >= 2, topic


def test_every_snippet_is_short_complete_and_explained() -> None:
    for snippet in ALL:
        where = name(snippet)
        assert set(snippet.public()) == {"topic", "title", "description", "code", "boards",
                                         "needs"}
        assert snippet.boards in (("v1", "v2"), ("v2",)), where
        assert len(snippet.title) <= 40 and len(snippet.description) <= 100, where
        assert snippet.description.endswith((".", "!", "?")), where
        lines = snippet.code.splitlines()
        assert 2 <= len(lines) <= 30 and max(map(len, lines)) <= 90, where
        assert "#" in snippet.code, f"{where}: no comment for beginners"
        if re.search(r"\b(display|Image|button_[ab]|pin\d|sleep|accelerometer|compass|"
                     r"temperature|scale)\b", snippet.code):
            assert "from microbit import *" in snippet.code, where
        assert not re.search(r"\bf['\"]", snippet.code), f"{where}: no f-strings on a micro:bit"
        if snippet.inputs:
            assert snippet.needs, f"{where}: scripted inputs, but no word on what to do"
            assert all(ms <= RUN_MS for ms, _, _ in snippet.inputs), where


def test_titles_are_unique() -> None:
    titles = [s.title for s in ALL]
    assert len(titles) == len(set(titles))


GOOD = '''topic = "Test"
order = 1

[[snippet]]
title = "Hi"
description = "Say hi."
boards = ["v1", "v2"]
code = """
print('hi')
"""
'''


@pytest.mark.parametrize("change, words", [
    (("", "oops = 1\n"), "unknown key 'oops'"),
    (('description = "Say hi."\n', ""), "snippet 1 ('Hi'): no 'description'"),
    (('title = "Hi"', "title = 3"), "snippet 1: 'title' must be text, not int"),
    (('boards = ["v1", "v2"]', 'boards = ["v1"]'), "'boards' must be"),
    (('boards = ["v1", "v2"]', 'boards = "v2"'), "'boards' must be a list, not str"),
    (('description = "Say hi."', 'description = "Say\\nhi."'), "'description' must be one line"),
    (('boards = ["v1", "v2"]', 'boards = ["v2"]\nneeds = 5'), "'needs' must be text"),
    (('boards = ["v1", "v2"]', 'boards = ["v2"]\nimage = "x"'), "unknown key 'image'"),
    (("print('hi')", ""), "'code' is empty"),
    (("print('hi')", "if 1:\n\tprint('hi')"), "has a tab"),
    (('boards = ["v1", "v2"]', 'boards = ["v2"]\ninputs = [[500, "button_a"]]'),
     "input 1 must be [ms, input, value]"),
    (('boards = ["v1", "v2"]', 'boards = ["v2"]\ninputs = [[-5, "button_a", true]]'),
     "-5 is not a time"),
    (('order = 1', 'order = "first"'), "'order' must be a whole number"),
    (('topic = "Test"', 'topic = ""'), "'topic' must be"),
    (("[[snippet]]", "[snippet]"), "each one starts with [[snippet]]"),
    (('title = "Hi"', 'title = "Hi"\ndescription = "twice."'), "can't be read as TOML"),
])
def test_a_broken_snippet_file_is_a_clear_error_naming_it(tmp_path: Path, change: tuple[str, str],
                                                          words: str) -> None:
    (tmp_path / "fine.toml").write_text(GOOD.replace('"Test"', '"Fine"'))
    old, new = change
    text = GOOD.replace(old, new) if old else GOOD + new
    assert text != GOOD
    (tmp_path / "broken.toml").write_text(text)
    with pytest.raises(SnippetError, match=r"^broken\.toml: .*" + re.escape(words)):
        load_snippets(tmp_path)


def test_two_snippets_of_a_topic_with_one_title_or_two_files_with_one_topic(tmp_path: Path) -> None:
    (tmp_path / "a.toml").write_text(GOOD + GOOD[GOOD.index("[[snippet]]"):])
    with pytest.raises(SnippetError, match="a.toml: two snippets are called 'Hi'"):
        load_snippets(tmp_path)
    (tmp_path / "a.toml").write_text(GOOD)
    (tmp_path / "b.toml").write_text(GOOD)
    with pytest.raises(SnippetError, match="b.toml: topic 'Test' is a.toml's topic too"):
        load_snippets(tmp_path)


def test_topics_come_in_their_order_and_inputs_become_timed_inputs(tmp_path: Path) -> None:
    (tmp_path / "a.toml").write_text(GOOD.replace('"Test"', '"Later"').replace("1", "2", 1))
    (tmp_path / "b.toml").write_text(GOOD.replace(
        'boards = ["v1", "v2"]', 'boards = ["v2"]\nneeds = "Press A."\n'
        'inputs = [[500, "button_a", true], [600.5, "gesture", "shake"]]'))
    first, second = load_snippets(tmp_path)
    assert (first.topic, first.code, first.needs, first.inputs) == (
        "Test", "print('hi')\n", "Press A.", ((500.0, "button_a", True),
                                              (600.5, "gesture", "shake")))
    assert first.v2_only and second.topic == "Later" and not second.v2_only
    assert second.public() == {"topic": "Later", "title": "Hi", "description": "Say hi.",
                               "code": "print('hi')\n", "boards": ["v1", "v2"], "needs": ""}


def test_the_snippet_files_ship_in_the_package() -> None:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert "snippets/*.toml" in pyproject["tool"]["setuptools"]["package-data"]["ubit.editor"]
    assert SNIPPETS == ROOT / "ubit" / "editor" / "snippets"


# -- the server --------------------------------------------------------------------------------
def test_the_server_gives_the_snippets_to_the_page_only(tmp_path: Path) -> None:
    (tmp_path / "game").mkdir()
    app = build_app(ProjectStore(tmp_path / "library", tmp_path / "game"), "t0ken", lambda: 8765)
    base = "http://127.0.0.1:8765"
    assert TestClient(app, base_url=base).get("/api/snippets").status_code == 403
    response = TestClient(app, base_url=base, headers={"X-Ubit-Token": "t0ken"}) \
        .get("/api/snippets")
    assert response.status_code == 200
    assert response.json() == [s.public() for s in ALL]


# -- in the page ---------------------------------------------------------------------------------
def leds(page: Any) -> list[list[int]]:
    return page.evaluate("() => window.ubit.workspace.panels[0].picture.levels()")


def code(page: Any) -> str:
    return page.evaluate("() => window.ubit.workspace.editor.text()")


@needs_browser
def test_find_a_snippet_insert_it_and_see_it_on_the_board(editor: Editor, page: Any,
                                                          tmp_path: Path) -> None:
    page.goto(editor.project_url)
    wait_open(page)
    page.click(".cm-content")
    page.keyboard.press("Control+A")
    page.keyboard.press("Delete")
    page.wait_for_function("() => window.ubit.workspace.editor.text() === ''")

    page.click(".toolbar .snippets")
    panel = page.locator(".dialog.snippets-panel")
    panel.locator(".snippet").first.wait_for()
    assert panel.get_attribute("role") == "dialog"
    assert page.evaluate("() => document.activeElement.classList.contains('snippets-search')")
    topics = panel.locator(".snippet-topic h3").all_inner_texts()
    assert [t.lower() for t in topics] == [t.lower() for t in dict.fromkeys(s.topic for s in ALL)]
    assert panel.locator(".snippet").count() == len(ALL)
    # a V2-only snippet has its badge; one for every board has none
    logo = panel.locator(".snippet[data-title='Touch the logo']")
    assert logo.locator(".badge").inner_text() == "V2 only"
    assert panel.locator(".snippet[data-title='Scroll a message'] .badge").count() == 0

    # the search looks in titles, descriptions, topics and code, as you type
    page.keyboard.type("set_pixel bright")  # code and description words, in any order
    visible = panel.locator(".snippet:visible")
    titles = visible.evaluate_all("cards => cards.map(c => c.dataset.title)")
    assert "Light one LED" in titles and "Scroll a message" not in titles
    assert len(titles) < len(ALL)
    assert panel.locator(".snippet-topic:visible h3").all_inner_texts() != topics
    page.fill(".snippets-search", "data logging")  # a topic
    assert all(panel.locator(".snippet:visible .badge").all_inner_texts())
    page.fill(".snippets-search", "no such snippet at all")
    assert panel.locator(".snippet:visible").count() == 0
    assert "No snippet matches" in panel.locator(".snippets-count").inner_text()

    # Escape closes, and the focus goes back to the Snippets button
    page.keyboard.press("Escape")
    assert panel.count() == 0
    assert page.evaluate("() => document.activeElement.classList.contains('snippets')")

    # by keyboard: open, search, ↓ to the first result, Enter inserts it at the cursor
    page.keyboard.press("Enter")
    panel.locator(".snippet").first.wait_for()
    page.keyboard.type("light one led")
    page.keyboard.press("ArrowDown")
    focused = page.evaluate("() => document.activeElement.closest('.snippet').dataset.title")
    assert focused == "Light one LED"
    page.keyboard.press("Enter")
    assert panel.count() == 0
    snippet = next(s for s in ALL if s.title == "Light one LED")
    assert code(page) == snippet.code
    assert "Light one LED" in page.inner_text(".status")

    page.click(".board-panel .play")
    page.wait_for_function(
        "() => window.ubit.workspace.panels[0].picture.levels()[2][2] === 9")
    lit = [(x, y) for y, row in enumerate(leds(page)) for x, level in enumerate(row) if level]
    assert lit == [(2, 2)]
    assert (tmp_path / "game" / "main.py").read_text() == snippet.code  # saved, as played


@needs_browser
def test_drag_a_snippet_onto_the_code(editor: Editor, page: Any) -> None:
    page.goto(editor.project_url)
    wait_open(page)
    before = code(page)
    page.click(".toolbar .snippets")
    card = page.locator(".snippet[data-title='Beating heart']")
    card.wait_for()
    card.drag_to(page.locator(".cm-content"))
    page.wait_for_function("() => window.ubit.workspace.editor.text().includes('HEART_SMALL')")
    heart = next(s for s in ALL if s.title == "Beating heart")
    after = code(page)
    assert heart.code.strip() in after and len(after) == len(before) + len(heart.code)
    # after the drag the panel is solid again and stays open for the next one
    assert "dragging" not in (page.get_attribute(".snippets-panel", "class") or "")
