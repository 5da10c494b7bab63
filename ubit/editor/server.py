"""The editor's web server: the page, the projects API, hex download/load, and boards.

Routes (every one behind ``security.Guard``):

  GET    /                                  the editor page (sets the token cookie)
  GET    /static/{path}                     its built assets, from the installed package
  GET    /api/projects                      the library: [{id, name, files, mtime_ns, opened}]
  POST   /api/projects                      {name, files?: {name: base64}} → a new project
  POST   /api/projects/{p}/rename           {to}
  POST   /api/projects/{p}/duplicate        {to}
  DELETE /api/projects/{p}                  to the trash
  GET    /api/projects/{p}/files            [{name, size, mtime_ns}]
  GET    /api/projects/{p}/files/{name}     the file's bytes
  PUT    /api/projects/{p}/files/{name}     save the body as the file
  POST   /api/projects/{p}/files/{name}/rename  {to}
  DELETE /api/projects/{p}/files/{name}
  GET    /api/projects/{p}/hex?target=universal|v1|v2   a .hex of the whole project
  POST   /api/projects/{p}/load?name=FILE   a .py or .hex to add (a hex: every file in it)
  GET    /api/snippets                      the snippets panel's programs (``snippets``)
  POST   /api/tidy                          {name, text} -> {text}: the code tidied (black)
  POST   /api/check, /api/complete, /api/calltip, /api/hover, /api/definition
  GET    /api/reference?board=v1|v2         code intelligence and the API reference (``codeintel``)
  GET    /api/problems, POST /api/problems/{id}/start
  GET    /api/projects/{p}/problem, POST /api/projects/{p}/check   problems (``problems``)
  WS     /ws/boards                         the page's boards (``boards.BoardSession``)
  GET    /api/devices                       micro:bits on USB and their drives (``devices``)
  GET    /api/devices/datalog?drive=PATH    a real board's data log, read from its drive
  WS     /ws/device                         the page's real micro:bit: REPL, Files, Flash
                                            (docs/editor-devices.md)

Errors are JSON ``{"error": "one line"}`` with 400 (the user's input) or 404.
"""

from __future__ import annotations

import asyncio
import binascii
import json
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import Mount, Route, WebSocketRoute
from starlette.staticfiles import StaticFiles
from starlette.websockets import WebSocket, WebSocketDisconnect

from ubit.editor.boards import BoardSession
from ubit.editor.bodies import json_body
from ubit.editor.codeintel import CodeIntel
from ubit.editor.datalog_route import datalog_route
from ubit.editor.devices import DeviceSession, devices_route
from ubit.editor.problems import ProblemRoutes
from ubit.editor.projects import ProjectError, ProjectStore, check_file_name
from ubit.editor.security import Guard, token_cookie
from ubit.editor.snippets import snippets_route
from ubit.errors import UbitError

STATIC = Path(__file__).parent / "static"
MAX_UPLOAD = 4 * 1024 * 1024  # a universal hex is about 1.5 MB


def error(message: str, status: int = 400) -> JSONResponse:
    """A one-line error for the page."""
    return JSONResponse({"error": message}, status_code=status)


def build_app(store: ProjectStore, token: str, port_of: Any) -> Guard:
    """The editor's ASGI app, guarded by the session's token."""

    async def page(request: Request) -> Response:
        index = STATIC / "index.html"
        if not index.is_file():
            return error("the editor's page isn't built: run `make` in ubit's source folder",
                         500)
        response = FileResponse(index, headers={"Cache-Control": "no-store"})
        response.headers["Set-Cookie"] = token_cookie(token)
        return response

    async def projects(request: Request) -> Response:
        if request.method == "GET":
            return JSONResponse(store.projects())
        body = await json_body(request)
        files = {name: binascii.a2b_base64(data)
                 for name, data in (body.get("files") or {}).items()}
        name = str(body.get("name") or "")
        if body.get("unique"):
            name = store.free_name(name)
        return JSONResponse({"id": store.create(name, files or None)})

    async def project(request: Request) -> Response:
        p = request.path_params["project"]
        action = request.path_params.get("action")
        if request.method == "DELETE":
            store.delete(p)
            return JSONResponse({})
        body = await json_body(request)
        to = str(body.get("to") or "")
        if action == "rename":
            return JSONResponse({"id": store.rename(p, to)})
        if action == "duplicate":
            return JSONResponse({"id": store.duplicate(p, store.free_name(to) if
                                                       body.get("unique") else to)})
        return error(f"no action {action!r}", 404)

    async def files(request: Request) -> Response:
        return JSONResponse(store.files(request.path_params["project"]))

    async def file(request: Request) -> Response:
        p, name = request.path_params["project"], request.path_params["name"]
        if request.method == "GET":
            return Response(store.read(p, name), media_type="application/octet-stream",
                            headers={"Cache-Control": "no-store"})
        if request.method == "PUT":
            data = await request.body()
            return JSONResponse({"mtime_ns": store.write(p, name, data)})
        if request.method == "DELETE":
            store.delete_file(p, name)
            return JSONResponse({})
        body = await json_body(request)  # POST …/rename
        store.rename_file(p, name, str(body.get("to") or ""))
        return JSONResponse({})

    async def hex_file(request: Request) -> Response:
        from ubit.hexfile import SourceFile
        from ubit.project import build_hex

        p = request.path_params["project"]
        target = request.query_params.get("target", "universal")
        if target not in ("universal", "v1", "v2"):
            return error(f"no target {target!r}: universal, v1 or v2")
        contents = store.contents(p)
        if "main.py" not in contents:
            return error("the project has no main.py: the board runs main.py at start")
        sources = [SourceFile(name, data) for name, data in contents.items()]
        text, _ = await asyncio.to_thread(build_hex, sources, target, "main.py")
        name = store.name_of(p)
        return Response(text.encode(), media_type="application/octet-stream",
                        headers={"Content-Disposition": f'attachment; filename="{name}.hex"'})

    async def load(request: Request) -> Response:
        from ubit.hexfile import ensure_text, read_hex

        p = request.path_params["project"]
        name = check_file_name(request.query_params.get("name", ""))
        data = await request.body()
        if len(data) > MAX_UPLOAD:
            return error(f"{name}: {len(data):,} bytes is more than a hex could be")
        if name.lower().endswith(".hex"):
            found = read_hex(ensure_text(data)).files()
            if not found:
                return error(f"{name}: holds MicroPython but no files")
        else:
            found = {name: data}
        for file_name in found:
            check_file_name(file_name)
        for file_name, file_data in found.items():
            store.write(p, file_name, file_data)
        return JSONResponse({"files": sorted(found)})

    async def boards(websocket: WebSocket) -> None:
        await websocket.accept()
        await converse(websocket, BoardSession(websocket.send_json, store))

    async def device(websocket: WebSocket) -> None:
        await websocket.accept()
        await converse(websocket, DeviceSession(websocket.send_json, store))

    async def tidy(request: Request) -> Response:
        from ubit.check.tidy import tidy_source

        body = await json_body(request)
        text, name = body.get("text"), str(body.get("name") or "main.py")
        if not isinstance(text, str):
            return error("nothing to tidy: send the code as text")
        return JSONResponse({"text": await asyncio.to_thread(tidy_source, text, name)})

    intel = CodeIntel(store)
    problems = ProblemRoutes(store)
    app = Starlette(routes=[
        Route("/", page),
        Mount("/static", app=StaticFiles(directory=STATIC, check_dir=False), name="static"),
        Route("/api/projects", projects, methods=["GET", "POST"]),
        Route("/api/projects/{project}", project, methods=["DELETE"]),
        Route("/api/projects/{project}/files", files),
        Route("/api/projects/{project}/files/{name}", file, methods=["GET", "PUT", "DELETE"]),
        Route("/api/projects/{project}/files/{name}/rename", file, methods=["POST"]),
        Route("/api/projects/{project}/hex", hex_file),
        Route("/api/projects/{project}/load", load, methods=["POST"]),
        Route("/api/projects/{project}/problem", problems.problem),
        Route("/api/projects/{project}/check", problems.check, methods=["POST"]),
        Route("/api/projects/{project}/{action}", project, methods=["POST"]),
        Route("/api/problems", problems.listing),
        Route("/api/problems/{problem}/start", problems.start, methods=["POST"]),
        Route("/api/snippets", snippets_route),
        Route("/api/tidy", tidy, methods=["POST"]),
        Route("/api/check", intel.check, methods=["POST"]),
        Route("/api/complete", intel.complete, methods=["POST"]),
        Route("/api/calltip", intel.call_tip, methods=["POST"]),
        Route("/api/hover", intel.hover, methods=["POST"]),
        Route("/api/definition", intel.definition, methods=["POST"]),
        Route("/api/reference", intel.reference),
        WebSocketRoute("/ws/boards", boards),
        Route("/api/devices", devices_route),
        Route("/api/devices/datalog", datalog_route),
        WebSocketRoute("/ws/device", device),
    ], exception_handlers={UbitError: _ubit_error, ValueError: _value_error})
    return Guard(app, token, port_of)


async def converse(websocket: WebSocket, session: BoardSession | DeviceSession) -> None:
    """Pass a page's messages to its session, and the session's to the page, until it goes."""
    pump = asyncio.create_task(session.pump())
    try:
        while True:
            text = await websocket.receive_text()
            try:
                message = json.loads(text)
            except ValueError:
                await websocket.send_json({"kind": "error", "message": "not JSON"})
                continue
            if isinstance(message, dict):
                await session.handle(message)
    except WebSocketDisconnect:
        pass
    finally:
        pump.cancel()
        await asyncio.shield(session.close())  # boards and ports are let go even if cancelled


async def _ubit_error(request: Request, exc: Exception) -> Response:
    status = 404 if isinstance(exc, ProjectError) and str(exc).startswith("no ") else 400
    return error(str(exc), status)


async def _value_error(request: Request, exc: Exception) -> Response:
    return error(str(exc) or "a value the editor can't use")
