"""The editor's code intelligence routes: checks, completion, call tips, hover, definitions
and the API reference, for the text in the editor (unsaved) and the project's other files.

  POST /api/check       {project, name, text, board: both|v1|v2} -> {findings, notes}
  POST /api/complete    {project, name, text, line, column, board} -> [Completion]
  POST /api/calltip     ... -> CallTip | null
  POST /api/hover       ... -> {text}  ("" if nothing)
  POST /api/definition  ... -> Location | null
  GET  /api/reference?board=v1|v2 -> {board, modules, entries}  (``reference``)

``line`` counts from 1 and ``column`` from 0 in characters, as ``ubit.check.intel``. The work
runs in a thread (jedi and the compilers take milliseconds to tens of them); bad input is a
``UsageError``, which the server turns into a one-line 400.
"""

from __future__ import annotations

import asyncio
import re
import threading
from dataclasses import asdict
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from ubit.check import intel, lint
from ubit.editor.bodies import json_body
from ubit.editor.projects import ProjectStore, check_file_name
from ubit.errors import UsageError

INTEL_BOARDS = ("v1", "v2")
MAX_TEXT = 1024 * 1024  # far more than a micro:bit holds: a paste gone wrong, not a program
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_warmed = threading.Event()


def _warm() -> None:
    """Pay the first call's cost (jedi parsing each board's stubs) before the user does."""
    for board in INTEL_BOARDS:
        try:
            intel.complete("from microbit import *\ndisplay.", 2, 8, board=board)
        except Exception:  # noqa: BLE001 - warming is best effort: the real call reports
            pass


def start_warming() -> None:
    """Warm the engines in a background thread, once per process."""
    if not _warmed.is_set():
        _warmed.set()
        threading.Thread(target=_warm, name="ubit-intel-warm", daemon=True).start()


def _text(body: dict[str, Any]) -> str:
    text = body.get("text")
    if not isinstance(text, str):
        raise UsageError("no code to look at: send the file's text as \"text\"")
    if len(text) > MAX_TEXT:
        raise UsageError(f"{len(text):,} characters is more code than a micro:bit holds")
    return text


def _name(body: dict[str, Any]) -> str:
    name = body.get("name", "main.py")
    if not isinstance(name, str):
        raise UsageError("\"name\" must be the file's name, e.g. main.py")
    return check_file_name(name)


def _board(body: dict[str, Any], choices: tuple[str, ...]) -> str:
    board = body.get("board", "v2")
    if board not in choices:
        raise UsageError(f"unknown board {board!r}: use {' or '.join(choices)}")
    return str(board)


def _position(body: dict[str, Any], text: str) -> tuple[int, int]:
    """The 1-based line and 0-based column, checked against ``text``."""
    line, column = body.get("line"), body.get("column")
    for key, value in (("line", line), ("column", column)):
        if not isinstance(value, int) or isinstance(value, bool):
            raise UsageError(f"{key!r} must be a whole number, not {value!r}")
    lines = _LINE_BREAK.split(text)
    if not 1 <= line <= len(lines):
        raise UsageError(f"line {line} is outside the text (1 to {len(lines)})")
    if not 0 <= column <= len(lines[line - 1]):
        raise UsageError(f"column {column} is outside line {line} "
                         f"(0 to {len(lines[line - 1])})")
    return line, column


class CodeIntel:
    """The routes' handlers, over the editor's project store."""

    def __init__(self, store: ProjectStore) -> None:
        self.store = store
        start_warming()

    def _others(self, body: dict[str, Any], name: str) -> dict[str, bytes]:
        """The project's files as saved, but ``name`` (its text comes with the request)."""
        project = body.get("project")
        if not isinstance(project, str) or not project:
            raise UsageError("\"project\" must name the project the file is in")
        return {n: data for n, data in self.store.contents(project).items() if n != name}

    async def check(self, request: Request) -> Response:
        """The findings of ``ubit check`` for the project, with the editor's text."""
        body = await json_body(request)
        text, name = _text(body), _name(body)
        board = _board(body, lint.BOARD_CHOICES)
        files: dict[str, str | bytes] = {**self._others(body, name), name: text}
        report = await asyncio.to_thread(lint.check, files, board)
        return JSONResponse({"findings": [asdict(f) for f in report.findings],
                             "notes": report.notes})

    async def _ask(self, request: Request, question: Any) -> Any:
        body = await json_body(request)
        text, name = _text(body), _name(body)
        board = _board(body, INTEL_BOARDS)
        line, column = _position(body, text)
        files = {n: data.decode("utf-8", "replace")
                 for n, data in self._others(body, name).items() if n.endswith(".py")}
        return await asyncio.to_thread(question, text, line, column, board=board, name=name,
                                       files=files)

    async def complete(self, request: Request) -> Response:
        """The names that fit at the position, each with its signature and doc."""
        return JSONResponse([asdict(c) for c in await self._ask(request, intel.complete)])

    async def call_tip(self, request: Request) -> Response:
        """The signature of the call the cursor is in (null if none)."""
        tip = await self._ask(request, intel.call_tip)
        return JSONResponse(asdict(tip) if tip is not None else None)

    async def hover(self, request: Request) -> Response:
        """The doc of the name under the position ("" if none)."""
        return JSONResponse({"text": await self._ask(request, intel.hover) or ""})

    async def definition(self, request: Request) -> Response:
        """Where the name under the position is defined (null if nowhere known)."""
        where = await self._ask(request, intel.definition)
        return JSONResponse(asdict(where) if where is not None else None)

    async def reference(self, request: Request) -> Response:
        """The API reference of a board."""
        from ubit.editor.reference import reference

        board = _board(dict(request.query_params), INTEL_BOARDS)
        return JSONResponse(await asyncio.to_thread(reference, board))
