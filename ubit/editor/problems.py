"""The editor's problems: start an attempt at a shipped problem, read its statement, check it.

  GET  /api/problems                  [{id, title, board, tests, total, attempt}]
  POST /api/problems/{id}/start       -> {id, name, existing}: the attempt's project
  GET  /api/projects/{p}/problem      {id, title, board, statement, tests, total} | null
  POST /api/projects/{p}/check        -> {results: [...], marks, total, passed}

An attempt is an ordinary project (its files are the pupil's, saved as they type) with a
hidden marker file naming the problem; hidden files are never listed, sent to a board,
put in a hex or written through the files API, so only Start makes one. Starting a
problem again opens the attempt there is (the newest, if it was renamed or there are
several), never a fresh copy over the pupil's work. The tests run in a thread, on the
sandboxed boards of ``ubit.testing`` (as ``ubit mark``), on the project's saved files.
"""

from __future__ import annotations

import asyncio
import json
import threading
from pathlib import Path
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from ubit.editor.projects import ProjectError, ProjectStore
from ubit.errors import UsageError, printable
from ubit.fileio import atomic_write, read_input_bytes
from ubit.testing.problems import Problem, ProblemError, load_problem, shipped_problems
from ubit.testing.runner import TestResult, run_tests

MARKER = ".ubit-problem.json"  # in an attempt's folder: {"problem": "heart-on-a"}
MAX_MARKER = 4096
CHECKS_AT_ONCE = 2  # checks of different projects at once (each starts a board per test)
_checks = threading.BoundedSemaphore(CHECKS_AT_ONCE)


def problem_folders() -> dict[str, Path]:
    """The problems the editor offers, by id (the folder's name): ubit's examples."""
    return {path.name: path for path in shipped_problems()}


def find(problem_id: str) -> Problem:
    """The problem ``problem_id`` (``ProjectError`` "no problem …" → 404 if there is none)."""
    folder = problem_folders().get(problem_id)
    if folder is None:
        raise ProjectError(f"no problem {printable(problem_id)!r}: the problems are "
                           f"{', '.join(problem_folders())}")
    return load_problem(folder)


def label(test_name: str) -> str:
    """A test's name as a pupil reads it: ``test_a_shows_a_heart`` → "A shows a heart"."""
    words = test_name.removeprefix("test").strip("_").replace("_", " ")
    return words[:1].upper() + words[1:] if words else test_name


def summary(problem: Problem) -> dict[str, Any]:
    """What the page shows of a problem: its title, statement and tests (never the solution)."""
    return {"id": problem.name, "title": problem.title, "board": problem.board,
            "statement": problem.statement, "total": problem.total,
            "tests": [{"name": spec.name, "label": label(spec.name), "marks": spec.marks,
                       "hint": spec.hint} for spec in problem.tests]}


def problem_of(store: ProjectStore, project: str) -> str | None:
    """The id of the problem ``project`` is an attempt at (None if it is a plain project)."""
    marker = store.folder(project) / MARKER
    if not marker.is_file():
        return None
    try:
        data = json.loads(read_input_bytes(marker, MAX_MARKER))
    except (ValueError, OSError):
        data = None
    problem = data.get("problem") if isinstance(data, dict) else None
    if not isinstance(problem, str) or not problem:
        raise ProjectError(f"{marker}: not a problem marker: delete it to make the project a "
                           "plain one")
    return problem


def attempts(store: ProjectStore) -> dict[str, str]:
    """Problem id → the project of its newest attempt."""
    found: dict[str, tuple[int, str]] = {}
    for project in store.projects():
        try:
            problem = problem_of(store, str(project["id"]))
        except ProjectError:
            continue
        if problem is not None:
            when = int(project["mtime_ns"])  # type: ignore[call-overload]
            if problem not in found or when > found[problem][0]:
                found[problem] = (when, str(project["id"]))
    return {problem: project for problem, (_, project) in found.items()}


def start(store: ProjectStore, problem_id: str) -> dict[str, Any]:
    """The attempt at ``problem_id``: the one there is, or a new project with the starter."""
    problem = find(problem_id)
    existing = attempts(store).get(problem.name)
    if existing is not None:
        return {"id": existing, "name": store.name_of(existing), "existing": True}
    name = store.free_name(_project_name(problem.title))
    project = store.create(name, problem.starter)
    atomic_write(store.folder(project) / MARKER,
                 json.dumps({"problem": problem.name}).encode() + b"\n")
    return {"id": project, "name": name, "existing": False}


def _project_name(title: str) -> str:
    """The title as a project folder's name (characters a folder can't have left out)."""
    name = "".join(c for c in title if c.isprintable() and c not in '/\\:*?"<>|').strip()
    return name.lstrip("._ ")[:60] or "Problem"


def check(store: ProjectStore, project: str) -> dict[str, Any]:
    """Run the project's problem's tests on its saved files: each result, and the marks."""
    problem_id = problem_of(store, project)
    if problem_id is None:
        raise UsageError(f"{store.name_of(project)} isn't a problem's attempt: there is "
                         "nothing to check it against")
    problem = find(problem_id)
    files = store.contents(project)
    if "main.py" not in files:
        raise UsageError("the project has no main.py: the tests run main.py")
    with _checks:
        results = run_tests(problem, files)
    hints = {spec.name: spec.hint for spec in problem.tests}
    shown = [_result(result, hints.get(result.name, "")) for result in results]
    return {"results": shown, "marks": sum(r.marks for r in results), "total": problem.total,
            "passed": sum(r.passed for r in results)}


def _result(result: TestResult, hint: str) -> dict[str, Any]:
    """One test's result for the page, its hint apart from the feedback."""
    feedback, given = result.feedback, ""
    if not result.passed and hint and feedback.endswith(f"\n\nHint: {hint}"):
        feedback, given = feedback[: -len(f"\n\nHint: {hint}")], hint
    return {**result.to_dict(), "label": label(result.name), "feedback": feedback,
            "hint": given}


class ProblemRoutes:
    """The routes' handlers, over the editor's project store."""

    def __init__(self, store: ProjectStore) -> None:
        self.store = store
        self.running: set[str] = set()  # projects being checked (one check each at a time)

    async def listing(self, request: Request) -> Response:
        """Every problem, with the project of its attempt (null if not started)."""
        def work() -> list[dict[str, Any]]:
            started = attempts(self.store)
            found = []
            for name, folder in problem_folders().items():
                try:
                    problem = load_problem(folder)
                except ProblemError:
                    continue  # a broken problem is ubit's bug, reported by `ubit problem check`
                found.append({"id": name, "title": problem.title, "board": problem.board,
                              "tests": len(problem.tests), "total": problem.total,
                              "attempt": started.get(name)})
            return found

        return JSONResponse(await asyncio.to_thread(work))

    async def start(self, request: Request) -> Response:
        """Open the attempt at the problem, making it from the starter the first time."""
        return JSONResponse(await asyncio.to_thread(start, self.store,
                                                    request.path_params["problem"]))

    async def problem(self, request: Request) -> Response:
        """The problem the project is an attempt at (null for a plain project)."""
        project = request.path_params["project"]
        problem_id = problem_of(self.store, project)
        if problem_id is None:
            return JSONResponse(None)
        return JSONResponse(summary(await asyncio.to_thread(find, problem_id)))

    async def check(self, request: Request) -> Response:
        """Run the tests on the project's saved files."""
        project = request.path_params["project"]
        self.store.folder(project)  # a missing project is a 404 before anything runs
        if project in self.running:
            raise UsageError("this project is being checked already: wait for its results")
        self.running.add(project)
        try:
            return JSONResponse(await asyncio.to_thread(check, self.store, project))
        finally:
            self.running.discard(project)
