"""Problems in the editor: start one from the library, read its statement beside the code,
Check runs its tests and shows each result; the attempt lasts like any project."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from tests.editor.browser import Editor, needs_browser
from tests.editor.serverclient import make_client, make_store
from tests.editor.test_page import set_code
from ubit.editor.problems import MARKER
from ubit.editor.projects import OPENED, ProjectStore
from ubit.testing.problems import load_problem, shipped_problems

HEART = load_problem("heart-on-a")  # 3 tests: 2 + 2 + 1 marks; the starter gets 1
TITLE = HEART.title  # "A heart on button A"
SOLUTION = HEART.solution["main.py"].decode()
STARTER = HEART.starter["main.py"].decode()


@pytest.fixture
def store(tmp_path: Path) -> ProjectStore:
    return make_store(tmp_path)


@pytest.fixture
def client(store: ProjectStore) -> TestClient:
    return make_client(store)


def one_line_error(response, status: int) -> str:
    assert response.status_code == status, response.text
    message = response.json()["error"]
    assert message and "\n" not in message and "Traceback" not in message
    return message


# -- the server's routes -------------------------------------------------------------------

def test_the_problems_are_listed_with_their_titles(client: TestClient) -> None:
    listed = client.get("/api/problems").json()
    assert [p["id"] for p in listed] == [path.name for path in shipped_problems()]
    heart = next(p for p in listed if p["id"] == "heart-on-a")
    assert heart == {"id": "heart-on-a", "title": TITLE, "board": "v2", "tests": 3,
                     "total": 5, "attempt": None}


def test_start_makes_an_attempt_and_a_second_start_keeps_it(client: TestClient,
                                                             store: ProjectStore) -> None:
    started = client.post("/api/problems/heart-on-a/start").json()
    assert started == {"id": TITLE, "name": TITLE, "existing": False}
    assert (store.library / TITLE / "main.py").read_text() == STARTER
    # the marker is hidden: not a file of the project, nor of the board or a hex
    assert [f["name"] for f in client.get(f"/api/projects/{TITLE}/files").json()] == ["main.py"]
    problem = client.get(f"/api/projects/{TITLE}/problem").json()
    assert problem["title"] == TITLE and problem["statement"] == HEART.statement
    assert [t["hint"] for t in problem["tests"]] == [t.hint for t in HEART.tests]
    assert "solution" not in json.dumps(problem)
    # the pupil's work is never overwritten: Start again opens it, even renamed
    client.put(f"/api/projects/{TITLE}/files/main.py", content=b"# my attempt\n")
    assert client.post("/api/problems/heart-on-a/start").json()["existing"] is True
    assert client.post(f"/api/projects/{TITLE}/rename", json={"to": "Mine"}).status_code == 200
    assert client.post("/api/problems/heart-on-a/start").json() == {
        "id": "Mine", "name": "Mine", "existing": True}
    assert (store.library / "Mine" / "main.py").read_text() == "# my attempt\n"
    assert next(p for p in client.get("/api/problems").json()
                if p["id"] == "heart-on-a")["attempt"] == "Mine"
    # a plain project is not an attempt
    assert client.get(f"/api/projects/{OPENED}/problem").json() is None


def test_a_plain_project_with_the_title_leaves_the_attempt_its_own_name(
        client: TestClient, store: ProjectStore) -> None:
    assert client.post("/api/projects", json={"name": TITLE}).status_code == 200
    started = client.post("/api/problems/heart-on-a/start").json()
    assert started["id"] == f"{TITLE} 2" and not started["existing"]
    assert (store.library / TITLE / "main.py").read_text().startswith("# A program")


def test_check_runs_the_tests_on_the_saved_files(client: TestClient) -> None:
    project = client.post("/api/problems/heart-on-a/start").json()["id"]
    first = client.post(f"/api/projects/{project}/check").json()
    assert (first["marks"], first["total"], first["passed"]) == (1, 5, 1)
    by_name = {r["name"]: r for r in first["results"]}
    failed = by_name["test_a_shows_a_heart"]
    assert not failed["passed"] and failed["out_of"] == 2 and failed["marks"] == 0
    assert failed["label"] == "A shows a heart"
    assert failed["hint"] == HEART.tests[0].hint
    assert "should show Image.HEART" in failed["feedback"] and "Hint" not in failed["feedback"]
    assert failed["display"] == ["00000"] * 5
    assert by_name["test_nothing_before_a_press"]["passed"]
    client.put(f"/api/projects/{project}/files/main.py", content=SOLUTION.encode())
    second = client.post(f"/api/projects/{project}/check").json()
    assert (second["marks"], second["passed"]) == (5, 3)
    assert all(r["feedback"] == "" and r["hint"] == "" for r in second["results"])
    assert by_name.keys() == {r["name"] for r in second["results"]}


def test_bad_requests_get_a_one_line_error(client: TestClient, store: ProjectStore) -> None:
    assert "no problem 'nope'" in one_line_error(client.post("/api/problems/nope/start"), 404)
    assert client.post("/api/problems/..%2Fprojects/start").status_code == 404  # no route
    assert "no problem '.hidden'" in one_line_error(client.post("/api/problems/.hidden/start"),
                                                    404)
    assert not (store.library).exists() or not any(store.library.iterdir())
    assert "isn't a problem's attempt" in one_line_error(
        client.post(f"/api/projects/{OPENED}/check"), 400)
    assert "no project" in one_line_error(client.post("/api/projects/ghost/check"), 404)
    assert "no project" in one_line_error(client.get("/api/projects/ghost/problem"), 404)
    project = client.post("/api/problems/heart-on-a/start").json()["id"]
    client.delete(f"/api/projects/{project}/files/main.py")
    assert "no main.py" in one_line_error(client.post(f"/api/projects/{project}/check"), 400)
    (store.library / project / MARKER).write_text("{not json")
    assert "not a problem marker" in one_line_error(
        client.get(f"/api/projects/{project}/problem"), 400)
    # the marker can't be written (or read) through the files API
    assert client.put(f"/api/projects/{OPENED}/files/{MARKER}",
                      content=b'{"problem": "heart-on-a"}').status_code == 400
    assert client.get(f"/api/projects/{OPENED}/problem").json() is None


# -- the page --------------------------------------------------------------------------------

def results(page) -> dict[str, dict]:
    """Each test's result as the page shows it, by test name."""
    return page.evaluate("""() => Object.fromEntries([...document.querySelectorAll(
        '.test-result')].map(li => [li.dataset.test, {
            passed: li.classList.contains('passed'),
            head: li.querySelector('.test-head').textContent,
            hint: li.querySelector('.hint')?.textContent ?? '',
            feedback: li.querySelector('.feedback')?.textContent ?? '',
            leds: li.querySelectorAll('.led-grid span').length}]))""")


def check(page) -> str:
    """Press Check and wait for its results; the total's text."""
    page.click(".check-problem")
    # while it runs: the button is busy and the progress shows (unless it has finished)
    assert page.evaluate("""() => document.querySelector('.test-result') !== null || (
        document.querySelector('.check-problem').disabled &&
        getComputedStyle(document.querySelector('.check-progress')).display !== 'none')""")
    page.wait_for_selector(".check-problem:not(:disabled)", timeout=60_000)
    assert not page.locator(".check-progress").is_visible()  # the progress shown meanwhile
    return page.inner_text(".check-total")


def start_from_library(page, editor: Editor) -> None:
    page.goto(editor.url)
    item = page.locator(".problem-item", has_text=TITLE)
    item.wait_for()
    item.locator(".start-problem").click()
    page.wait_for_selector(".problem-statement h3")
    page.wait_for_function("() => window.ubit && window.ubit.workspace && "
                           "window.ubit.workspace.editor.text().length > 0")


@needs_browser
def test_a_problem_started_checked_solved_and_reloaded(editor: Editor, page,
                                                       tmp_path: Path) -> None:
    page.goto(editor.url)
    expected = [load_problem(path).title for path in shipped_problems()]
    page.wait_for_function("(n) => document.querySelectorAll('.problems .problem-title')"
                           ".length === n", arg=len(expected))  # the list loads after the page
    titles = page.locator(".problems .problem-title").all_inner_texts()
    assert titles == expected
    start_from_library(page, editor)
    # the statement beside the code, rendered; the starter in the editor
    assert page.inner_text(".problem-statement h3") == TITLE
    assert page.inner_text(".problem-statement strong") == "heart"
    assert "button_a.was_pressed()" in page.locator(".problem-statement code").all_inner_texts()
    assert "**" not in page.inner_text(".problem-statement")
    assert page.evaluate("() => window.ubit.workspace.editor.text()") == STARTER
    box = page.locator(".problem-panel").bounding_box()
    code = page.locator(".code").bounding_box()
    assert box["x"] + box["width"] <= code["x"] + 1  # beside the code, not over it

    # Check on the starter: two failures with their hints, the display drawn
    assert check(page).startswith("1 of 5 marks")
    shown = results(page)
    assert list(shown) == [spec.name for spec in HEART.tests]
    assert not shown["test_a_shows_a_heart"]["passed"]
    assert "0/2 marks" in shown["test_a_shows_a_heart"]["head"]
    assert shown["test_a_shows_a_heart"]["hint"] == f"Hint: {HEART.tests[0].hint}"
    assert "should show Image.HEART" in shown["test_a_shows_a_heart"]["feedback"]
    assert shown["test_b_clears_the_display"]["hint"] == f"Hint: {HEART.tests[1].hint}"
    assert shown["test_nothing_before_a_press"]["passed"]
    assert all(result["leds"] == 25 for result in shown.values())

    # the solution typed in: Check saves it first, and gives full marks
    page.evaluate("""(code) => {
        const view = window.ubit.workspace.editor.view;
        view.dispatch({changes: {from: 0, to: view.state.doc.length, insert: code}});
    }""", SOLUTION)  # not flushed: Check itself must save
    assert check(page).startswith("5 of 5 marks")
    assert all(result["passed"] and not result["hint"] for result in results(page).values())
    attempt = tmp_path / "library" / TITLE
    assert (attempt / "main.py").read_text() == SOLUTION

    # a reload keeps the attempt and its statement
    page.reload()
    page.wait_for_selector(".problem-statement h3")
    page.wait_for_function("() => window.ubit && window.ubit.workspace && "
                           "window.ubit.workspace.editor.text().length > 0")
    assert page.evaluate("() => window.ubit.workspace.editor.text()") == SOLUTION
    assert page.locator(".check-problem").is_visible()
    # and Start again (now Continue) opens the same attempt, not the starter over it
    page.goto(editor.url)
    item = page.locator(".problem-item", has_text=TITLE)
    assert item.locator(".start-problem").inner_text() == "Continue"
    item.locator(".start-problem").click()
    page.wait_for_selector(".problem-statement h3")
    page.wait_for_function("(s) => window.ubit?.workspace?.editor.text() === s", arg=SOLUTION)
    assert sorted(p.name for p in (tmp_path / "library").iterdir()) == [TITLE]


@needs_browser
def test_check_works_from_the_keyboard_and_a_plain_project_has_no_problem(
        editor: Editor, page) -> None:
    start_from_library(page, editor)
    page.focus(".check-problem")
    page.keyboard.press("Enter")
    page.wait_for_selector(".test-result", timeout=60_000)
    assert page.inner_text(".check-total").startswith("1 of 5 marks")
    set_code(page, SOLUTION)
    page.click(".cm-content")
    page.keyboard.press("Alt+Shift+C")  # from the code
    page.wait_for_selector(".check-total.full", timeout=60_000)
    assert page.evaluate("() => document.activeElement.closest('.cm-editor') !== null")
    # the folder opened from the command line is a plain project: no statement, no Check
    page.goto(editor.project_url)
    page.wait_for_function("() => window.ubit && window.ubit.workspace && "
                           "window.ubit.workspace.project === '_opened'")
    assert page.locator(".problem-panel").count() == 0
    assert page.locator(".check-problem").count() == 0
