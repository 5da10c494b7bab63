"""``GET /api/devices/datalog?drive=PATH``: a real micro:bit V2's data log for the page.

The answer is ``{"csv", "drive", "full", "lines"}`` (the CSV as ``ubit log get`` writes
it; ``drive``: the folder it was read from), or ``{"error": one line}`` with status 404
when there is no log to read (no drive, a V1, no ``MY_DATA.HTM``) and 400 otherwise.
``drive`` is optional: without it the one MICROBIT drive plugged in is used.
"""

from __future__ import annotations

import asyncio
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse

from ubit.errors import DriveNotFoundError, UbitError, printable


def _read(drive: str | None) -> dict[str, Any]:
    """The log of the board at ``drive`` (or the one plugged in), as the route answers it."""
    from ubit.device.datalog import read_board_log

    found, _path, log = read_board_log(drive)
    # JSON carries text: bytes that weren't UTF-8 (a damaged log) show as U+FFFD
    csv = log.csv.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    return {"csv": csv, "drive": str(found.path), "full": log.full, "lines": log.lines}


async def datalog_route(request: Request) -> JSONResponse:
    """Answer ``GET /api/devices/datalog``: the data log read from a MICROBIT drive."""
    from ubit.device.datalog import NoDataLogError

    drive = request.query_params.get("drive") or None
    try:
        return JSONResponse(await asyncio.to_thread(_read, drive))
    except (DriveNotFoundError, NoDataLogError) as exc:
        return JSONResponse({"error": printable(str(exc))}, status_code=404)
    except UbitError as exc:
        return JSONResponse({"error": printable(str(exc))}, status_code=400)
