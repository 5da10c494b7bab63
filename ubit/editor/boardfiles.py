"""The Files pane's requests — list, get, put, rm — on any board's serial port.

A real micro:bit (``devices``) and a page's virtual board (``boards``) answer them the
same way (docs/editor-devices.md): each request borrows the board's serial port (its
terminal paused meanwhile), does its work through the raw REPL with ``ubit.device.fs``,
and leaves the board at its friendly REPL. A copy into the project is written whole or
not at all (``ProjectStore.write`` is atomic); a copy onto the board that fails is removed
there (``BoardFiles.put``).
"""

from __future__ import annotations

import asyncio
import binascii
import contextlib
import time
from collections.abc import Callable, Iterator
from typing import Any

from ubit.device.fs import BoardFiles, free_bytes
from ubit.device.rawrepl import RawRepl
from ubit.device.transport import Transport
from ubit.editor.projects import ProjectStore, check_file_name
from ubit.errors import UbitError

FILE_REQUESTS = ("files", "get", "put", "rm")
PROGRESS_EVERY_S = 0.1  # a transfer's progress reaches the page at most this often

Say = Callable[[dict[str, Any]], None]  # thread-safe: queue a message for the page
Borrow = Callable[[], contextlib.AbstractContextManager[Transport]]


@contextlib.contextmanager
def raw_repl(transport: Transport) -> Iterator[BoardFiles]:
    """The board's files through its raw REPL; back at the friendly REPL afterwards (its
    banner read here: the terminal already shows a prompt)."""
    repl = RawRepl(transport)
    repl.enter()
    try:
        yield BoardFiles(repl)
    finally:
        with contextlib.suppress(UbitError):
            repl.leave(quiet=True)


def throttled(say: Say, request: dict[str, Any], op: str) -> Callable[..., None]:
    """A progress callback ``(done, total, what="")`` sending ``progress`` messages: at most
    every PROGRESS_EVERY_S, and always for the last step and when ``what`` changes."""
    last: list[Any] = [0.0, None]

    def progress(done: int, total: int, what: str = "") -> None:
        now = time.monotonic()
        if done >= total or what != last[1] or now - last[0] >= PROGRESS_EVERY_S:
            last[:] = [now, what]
            message = {"kind": "progress", "id": request.get("id"), "op": op, "done": done,
                       "total": total}
            say({**message, "message": what} if what else message)

    return progress


def file_request(request: dict[str, Any], transport: Transport, store: ProjectStore,
                 say: Say) -> dict[str, Any]:
    """Carry out one Files request on the board behind ``transport``; the answer."""
    kind = request["kind"]
    answer: dict[str, Any] = {"id": request.get("id"), "op": kind}
    with raw_repl(transport) as board:
        if kind == "files":
            sizes = board.sizes()
            return {**answer, "kind": "files",
                    "files": [{"name": n, "size": s} for n, s in sizes.items()],
                    "free": free_bytes(board.generation, sizes), "version": board.generation}
        name = str(request.get("name") or "")
        if kind == "rm":
            board.rm(name)
        elif kind == "get":
            to = check_file_name(str(request.get("to") or name))
            project = str(request.get("project") or "")
            store.folder(project)  # a project that isn't there fails before the transfer
            data = board.get(name, throttled(say, request, kind))
            store.write(project, to, data)
            answer["name"] = to
        else:  # put
            to = str(request.get("to") or name)
            if request.get("data") is not None:
                data = binascii.a2b_base64(str(request["data"]))
            else:
                data = store.read(str(request.get("project") or ""), name)
            board.put(data, to, throttled(say, request, kind))
            answer["name"] = to
    return {**answer, "kind": "done"}


async def answer_file_request(request: dict[str, Any], borrow: Borrow, store: ProjectStore,
                              say: Say, extra: dict[str, Any] | None = None) -> None:
    """Run a Files request in a worker thread; its answer (or a one-line error) to ``say``.

    The answer goes the same way as the progress before it, so the page hears them in order.
    """
    extra = extra or {}

    def tell(message: dict[str, Any]) -> None:
        say({**message, **extra})

    def work() -> None:
        try:
            with borrow() as transport:
                answer = file_request(request, transport, store, tell)
        except (UbitError, ValueError, binascii.Error) as exc:
            answer = {"kind": "error", "id": request.get("id"), "op": request["kind"],
                      "message": str(exc)}
        tell(answer)  # once the port is given back: the page may send the next at once

    await asyncio.to_thread(work)
