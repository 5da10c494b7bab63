"""The API reference's data (every name of the stubs, each with an example that runs on the
virtual board) and the server's code-intelligence routes (check, complete, call tip, hover,
definition, reference): answers, bad input refused in one line, the token required."""

from __future__ import annotations

import functools
import os
import textwrap
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from tests.editor.serverclient import BASE, PORT, TOKEN, make_client, make_store
from tests.sim.runner import run_program
from ubit.check import stubs
from ubit.editor import reference
from ubit.editor.projects import OPENED, ProjectStore
from ubit.editor.server import build_app

OK, FAIL = "@@ok", "@@fail"


# -- the reference's data ----------------------------------------------------------------------

def test_the_reference_has_every_public_name_of_the_stubs_on_each_board() -> None:
    for board in stubs.BOARDS:
        names = {(e.module, e.name) for e in reference.entries(board)}
        for module in stubs.board_modules(board) - reference.SKIPPED:
            for name in stubs.module_names(board, module) - stubs.board_modules(board):
                assert (module, name) in names, (board, module, name)  # (not microbit.audio)
    v2 = {e.name: e for e in reference.entries("v2") if e.module == "microbit"}
    v1 = {e.name: e for e in reference.entries("v1") if e.module == "microbit"}
    assert v2["display.scroll"].signature == (
        "scroll(text, delay=150, *, wait=True, loop=False, monospace=False)")
    assert v2["display.scroll"].kind == "method" and "Scroll" in v2["display.scroll"].doc
    assert v2["microphone"].v2_only and v2["microphone.sound_level"].v2_only
    assert not v2["display.scroll"].v2_only
    assert "microphone" not in v1 and "pin_logo" not in v1  # the V1 hasn't them
    speech = {e.name: e for e in reference.entries("v1") if e.module == "speech"}
    assert "volume" not in speech["say"].signature  # a V2-only parameter
    assert [m.name for m in reference.modules("v2")][0] == "microbit"
    assert {"log", "power"} <= {m.name for m in reference.modules("v2") if m.v2_only}


def test_every_entry_has_an_example_that_imports_what_it_uses() -> None:
    for board in stubs.BOARDS:
        missing = [f"{e.module}.{e.name}" for e in reference.entries(board) if not e.example]
        assert not missing, f"add examples to reference_examples.toml for {missing}"
    scroll = next(e for e in reference.entries("v2") if e.name == "display.scroll")
    assert scroll.example == "from microbit import *\ndisplay.scroll('hello')\n"
    fill = next(e for e in reference.entries("v2") if e.name == "NeoPixel.fill")
    assert fill.example == ("from microbit import *\nimport neopixel\n"
                            "np = neopixel.NeoPixel(pin0, 3)\nnp.fill((255, 0, 0))\n")


def batch(examples: list[str]) -> str:
    """One program that runs each example in its own try, printing a marker for each."""
    parts = []
    for index, code in enumerate(examples):
        parts.append(f"try:\n{textwrap.indent(code, '    ')}    print('{OK}', {index})\n"
                     f"except Exception as e:\n    print('{FAIL}', {index}, repr(e))\n")
    return "\n".join(parts)


Job = tuple[str, str, int]  # a board, a module, a part of its entries
PER_RUN = 12  # examples in one program: a V1's memory holds a program of about this size


def chosen(job: Job) -> list[reference.Entry]:
    """The entries a job runs: on V1, only those that aren't V2 only."""
    board, module, part = job
    entries = [e for e in reference.entries(board) if e.module == module and not
               (board == "v1" and e.v2_only)]
    return entries[part * PER_RUN:(part + 1) * PER_RUN]


def jobs() -> list[Job]:
    found = []
    for board in stubs.BOARDS:
        for module in reference.modules(board):
            count = sum(1 for e in reference.entries(board) if e.module == module.name)
            found += [(board, module.name, part) for part in range(-(-count // PER_RUN))]
    return [job for job in found if chosen(job)]


def run_job(job: Job) -> tuple[list[reference.Entry], str]:
    entries = chosen(job)
    result = run_program(batch([e.example for e in entries]), board=job[0],
                         time_limit_ms=600_000, timeout=120)
    return entries, result.text + (f"\n{result.status}: {result.error}" if result.error else "")


@functools.cache
def all_runs() -> dict[Job, tuple[list[reference.Entry], str]]:
    with ThreadPoolExecutor(max_workers=(os.cpu_count() or 1) + 1) as pool:
        return dict(zip(jobs(), pool.map(run_job, jobs()), strict=True))


@pytest.mark.parametrize("job", jobs(), ids=lambda job: "-".join(map(str, job)))
def test_every_example_runs_on_the_virtual_board(job: Job) -> None:
    chosen, output = all_runs()[job]
    failed = [line for line in output.splitlines() if line.startswith(FAIL)]
    assert not failed, "\n".join(
        f"{chosen[int(line.split()[1])].name}: {line}" for line in failed)
    done = {int(line.split()[1]) for line in output.splitlines() if line.startswith(OK)}
    assert done == set(range(len(chosen))), output[-2000:]


def test_the_example_runner_notices_a_failing_example() -> None:
    output = run_program(batch(["import music\nmusic.play(1, 2, 3, 4, 5)\n",
                                "print('fine')\n"])).text
    assert f"{FAIL} 0" in output and f"{OK} 1" in output


# -- the server's routes -----------------------------------------------------------------------

@pytest.fixture
def store(tmp_path: Path) -> ProjectStore:
    return make_store(tmp_path, {"helper.py": "def greet(name):\n    return 'hi ' + name\n"})


@pytest.fixture
def client(store: ProjectStore) -> TestClient:
    return make_client(store)


def at(text: str, line: int, column: int, board: str = "v2") -> dict[str, object]:
    return {"project": OPENED, "name": "main.py", "text": text, "line": line,
            "column": column, "board": board}


def test_check_finds_problems_in_unsaved_text_for_the_chosen_board(client: TestClient) -> None:
    text = ("from microbit import *\nimport helper\ndisplay.scrol('x')\nmicrophone.sound_level()\n"
            "helper.greet('x')\n")
    body = {"project": OPENED, "name": "main.py", "text": text, "board": "v1"}
    findings = client.post("/api/check", json=body).json()["findings"]
    assert [(f["line"], f["level"]) for f in findings] == [(3, "error"), (4, "error")]
    assert "scroll" in findings[0]["message"] and findings[0]["file"] == "main.py"
    findings = client.post("/api/check", json={**body, "board": "v2"}).json()["findings"]
    assert [f["line"] for f in findings] == [3]
    # the project's other files are checked as saved (helper imports fine: no finding)
    body = {**body, "text": "import helperr\n", "board": "both"}
    assert "helperr" in client.post("/api/check", json=body).json()["findings"][0]["message"]


def test_completion_call_tip_hover_and_definition(client: TestClient) -> None:
    text = "from microbit import *\nimport helper\ndisplay.\nhelper.greet(\n"
    items = client.post("/api/complete", json=at(text, 3, 8)).json()
    names = {i["name"]: i for i in items}
    assert {"scroll", "show", "clear"} <= set(names) and names["scroll"]["doc"]
    tip = client.post("/api/calltip", json=at(text, 4, 13)).json()
    assert tip["name"] == "greet" and tip["parameters"][0]["name"] == "name"
    hover = client.post("/api/hover", json=at(text, 3, 2)).json()
    assert "display" in hover["text"].lower()
    where = client.post("/api/definition", json=at(text, 4, 9)).json()
    assert where["file"] == "helper.py" and where["line"] == 1 and not where["stub"]
    nothing = client.post("/api/calltip", json=at(text, 1, 0)).json()
    assert nothing is None
    v1 = client.post("/api/complete", json=at("from microbit import *\nmicro", 2, 5, "v1"))
    v2 = client.post("/api/complete", json=at("from microbit import *\nmicro", 2, 5, "v2"))
    assert "microphone" not in {i["name"] for i in v1.json()}
    assert "microphone" in {i["name"] for i in v2.json()}


def test_the_reference_route_gives_the_boards_entries(client: TestClient) -> None:
    v2 = client.get("/api/reference?board=v2").json()
    v1 = client.get("/api/reference?board=v1").json()
    assert v2["modules"][0]["name"] == "microbit"
    assert any(e["name"] == "microphone.sound_level" for e in v2["entries"])
    assert not any(e["name"] == "microphone.sound_level" for e in v1["entries"])
    assert len(v2["entries"]) == len(reference.entries("v2"))


@pytest.mark.parametrize(("path", "body", "words"), [
    ("/api/check", {"project": OPENED, "name": "main.py", "text": "x", "board": "v3"},
     "board"),
    ("/api/check", {"project": OPENED, "name": "main.py", "board": "v2"}, "text"),
    ("/api/check", {"project": "nope", "name": "main.py", "text": "", "board": "v2"},
     "nope"),
    ("/api/complete", {**at("x", 1, 0), "line": 9}, "line"),
    ("/api/complete", {**at("x", 1, 0), "column": "a"}, "column"),
    ("/api/calltip", {**at("x", 1, 0), "board": "both"}, "board"),
    ("/api/hover", {**at("x", 1, 0), "name": "../x.py"}, "x.py"),
    ("/api/definition", [1, 2], "object"),
    ("/api/reference?board=v9", None, "board"),
])
def test_bad_input_is_refused_in_one_line(client: TestClient, path: str, body: object,
                                          words: str) -> None:
    response = client.get(path) if body is None else client.post(path, json=body)
    assert response.status_code in (400, 404), response.text
    message = response.json()["error"]
    assert words in message and "\n" not in message and "Traceback" not in message


def test_the_routes_need_the_token(store: ProjectStore) -> None:
    bare = TestClient(build_app(store, TOKEN, lambda: PORT), base_url=BASE)
    for path in ("/api/check", "/api/complete"):
        assert bare.post(path, json=at("x", 1, 0)).status_code == 403
    assert bare.get("/api/reference?board=v2").status_code == 403
