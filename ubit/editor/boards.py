"""A page's virtual boards: the board protocol carried over one websocket.

Each open page has a ``BoardSession``. The page asks it to ``play`` a project on a new
board (V1 or V2, running a chosen file as main.py) and then speaks the board protocol
(docs/board-protocol.md) to that board, every message tagged with its ``board_id``; the
session adds only what a page can't do itself: starting boards (they run in real
time, with their serial port inside the channel), putting a page's boards in one
radio space so they hear each other, and stopping them when the page goes.

A board can say far more than a page can draw: a program printing in a tight loop, or
lighting LEDs as fast as it can. The session sends at most ``FRAME_S`` apart, and
merges what waits meanwhile — serial output joined (only the last ``SERIAL_KEEP``
bytes of a burst kept), each part's state as its latest value — so the page stays
responsive and its memory bounded whatever the program does. Audio, errors, ready,
reset and exit are passed on whole and in order.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
from collections.abc import Awaitable, Callable, Iterator
from typing import Any

from ubit.device.transport import BoardTransport
from ubit.editor.boardfiles import FILE_REQUESTS, answer_file_request
from ubit.editor.projects import ProjectStore
from ubit.errors import UbitError
from ubit.sim.host.handle import VirtualBoard
from ubit.sim.host.logcsv import merge_log_values
from ubit.sim.host.radiospace import RadioSpace
from ubit.sim.host.start import BoardOptions, Spares, start_board
from ubit.sim.shared import protocol

FRAME_S = 1 / 60  # the page hears from its boards at most this often (a screen frame)
SERIAL_KEEP = 64 * 1024  # bytes of one burst of serial output a page gets (the newest)
MAX_BOARDS = 8
TO_BOARD = (protocol.SET, protocol.SERIAL_IN, protocol.INTERRUPT, protocol.RESET,
            protocol.STOP)

Send = Callable[[dict[str, Any]], Awaitable[None]]

# Board processes spawned ahead for every page of this server: Play then only hands one
# its program (a board's start-up is mostly importing the emulation).
SPARES = Spares()


def tagged(message: dict[str, Any], board_id: str | None) -> dict[str, Any]:
    """``message`` with its board's id (none for the page's USB micro:bit)."""
    return message if board_id is None else {**message, "board_id": board_id}


class Outbox:
    """What the boards said since the page was last sent anything, merged.

    ``board_id`` None is the page's real micro:bit (``devices``), whose messages carry none.
    """

    def __init__(self) -> None:
        self.items: list[tuple[str, Any]] = []  # ("message", m) or ("serial", board id)
        self.serial: dict[str | None, bytearray] = {}
        self.states: dict[tuple[str | None, str], dict[str, Any]] = {}  # (board, part) -> m
        self.dropped: dict[str | None, int] = {}  # board -> serial bytes left out

    def add(self, board_id: str | None, message: dict[str, Any]) -> None:
        """Take one message from board ``board_id`` (called on the event loop)."""
        kind = message["kind"]
        if kind == protocol.SERIAL_OUT:
            data = protocol.unb64(message["data"])
            if board_id not in self.serial:
                self.serial[board_id] = bytearray()
                self.items.append(("serial", board_id))
            buffer = self.serial[board_id]
            buffer += data
            if len(buffer) > SERIAL_KEEP:
                self.dropped[board_id] = self.dropped.get(board_id, 0) + len(buffer) - SERIAL_KEEP
                del buffer[: len(buffer) - SERIAL_KEEP]
        elif kind == protocol.STATE:
            key = (board_id, message["part"])
            if key not in self.states:
                self.items.append(("state", key))
            elif message["part"] == "log":  # a log value holds only the lines it adds
                message = {**message, "value": merge_log_values(self.states[key]["value"],
                                                                message["value"])}
            self.states[key] = tagged(message, board_id)
        else:
            self.items.append(("message", tagged(message, board_id)))

    def take(self) -> list[dict[str, Any]]:
        """Everything waiting, in order, merged; the outbox is empty after."""
        out = []
        for what, item in self.items:
            if what == "message":
                out.append(item)
            elif what == "state":
                out.append(self.states[item])
            else:
                data = bytes(self.serial[item])
                message = tagged({"kind": protocol.SERIAL_OUT, "data": protocol.b64(data)},
                                 item)
                if item in self.dropped:
                    message["dropped"] = self.dropped[item]
                out.append(message)
        self.items, self.serial, self.states, self.dropped = [], {}, {}, {}
        return out


class PageFeed:
    """What one page's websocket carries to it: an ``Outbox`` sent in screen frames."""

    def __init__(self, send: Send) -> None:
        self.send = send
        self.outbox = Outbox()
        self.wake = asyncio.Event()
        self.loop = asyncio.get_running_loop()
        self.closed = False

    async def pump(self) -> None:
        """Send what waits to the page, ``FRAME_S`` apart at most, until closed."""
        while not self.closed:
            await self.wake.wait()
            self.wake.clear()
            for message in self.outbox.take():
                await self.send(message)
            await asyncio.sleep(FRAME_S)


class BoardSession(PageFeed):
    """The boards of one page, and the radio space they share."""

    def __init__(self, send: Send, store: ProjectStore) -> None:
        super().__init__(send)
        self.store = store
        self.project_files = store.contents
        self.boards: dict[str, VirtualBoard] = {}
        self.space = RadioSpace()
        self.ids = itertools.count(1)
        # a board's messages while Play is starting it wait here: the page hears
        # "playing" first, then everything the board said
        self.starting: dict[str, list[dict[str, Any]]] = {}
        # boards whose serial port a Files request has borrowed: their raw REPL talk isn't
        # the page's to see, nor is the page's typing theirs meanwhile
        self.borrowed: set[str] = set()
        self.tasks: set[asyncio.Task[None]] = set()
        SPARES.fill()

    def _hear(self, board_id: str, message: dict[str, Any]) -> None:
        """A board's message (on its thread): into the outbox, on the event loop."""
        def put() -> None:
            if board_id in self.borrowed and message["kind"] == protocol.SERIAL_OUT:
                return
            if board_id in self.starting:
                self.starting[board_id].append(message)
                return
            self.outbox.add(board_id, message)
            self.wake.set()

        if not self.closed:
            self.loop.call_soon_threadsafe(put)

    async def handle(self, message: dict[str, Any]) -> None:
        """One message from the page."""
        kind = message.get("kind")
        if kind == "play":
            await self.play(message)
        elif kind == "close":
            await self.close_board(str(message.get("board_id")))
        elif kind in TO_BOARD or kind in FILE_REQUESTS:
            board_id = str(message.get("board_id"))
            board = self.boards.get(board_id)
            if board is None:
                await self.send({"kind": protocol.ERROR, "board_id": message.get("board_id"),
                                 "id": message.get("id"), "op": kind,
                                 "message": "no such board: press Play first"})
            elif kind in FILE_REQUESTS:
                self.files_request(board_id, message)
            elif board_id in self.borrowed and kind == protocol.SERIAL_IN:
                return  # a file is being copied over the port: typing would garble it
            else:
                board.send_control({k: v for k, v in message.items() if k != "board_id"})
        else:
            await self.send({"kind": protocol.ERROR, "message": f"a page can't say {kind!r}"})

    def files_request(self, board_id: str, message: dict[str, Any]) -> None:
        """Start a Files request (docs/editor-devices.md) on a board, in the background."""
        def say(answer: dict[str, Any]) -> None:
            self._hear(board_id, answer)

        if board_id in self.borrowed:
            say({"kind": protocol.ERROR, "id": message.get("id"), "op": message["kind"],
                 "message": "the board is busy with another file: wait for it to finish"})
            return
        self.borrowed.add(board_id)  # now, so a second request is refused at once
        task = asyncio.create_task(answer_file_request(
            message, lambda: self._borrow(board_id), self.store, say))
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    @contextlib.contextmanager
    def _borrow(self, board_id: str) -> Iterator[BoardTransport]:
        """A board's serial port for a Files request (the page's view of it paused)."""
        try:
            board = self.boards.get(board_id)
            if board is None:
                raise UbitError("the board has stopped: press Play first")
            board.read_serial(0)  # what it printed before was the page's, not the raw REPL's
            yield BoardTransport(board, owns_board=False, name="the virtual micro:bit")
        finally:
            self.borrowed.discard(board_id)

    async def play(self, message: dict[str, Any]) -> None:
        """Start a board running a project (its ``main`` file as main.py); say its id."""
        board_id = str(message.get("board_id") or f"b{next(self.ids)}")
        await self.close_board(board_id)  # Play again: a fresh board in its place
        if len(self.boards) >= MAX_BOARDS:
            await self.send({"kind": protocol.ERROR, "board_id": board_id,
                             "message": f"at most {MAX_BOARDS} boards at once"})
            return
        try:
            files = self.project_files(str(message.get("project")))
            main = str(message.get("main") or "main.py")
            if main not in files:
                raise ValueError(f"the project has no file {main!r}")
            files = {**files, "main.py": files[main]}
            options = BoardOptions(board=str(message.get("version") or "v2"), files=files,
                                   clock="real", serial="messages", repl=True,
                                   label=str(message.get("label") or board_id))
            self.starting[board_id] = []
            board = await asyncio.to_thread(
                start_board, options, [lambda m, b=board_id: self._hear(b, m)], self.space,
                None, SPARES)
        except Exception as exc:  # noqa: BLE001 - the page shows why it didn't start
            self.starting.pop(board_id, None)
            await self.send({"kind": protocol.ERROR, "board_id": board_id, "message": str(exc)})
            return
        if self.closed:  # the page went while its board was starting
            await asyncio.to_thread(board.close)
            return
        self.boards[board_id] = board
        self.outbox.add(board_id, {"kind": "playing"})
        for said in self.starting.pop(board_id):
            self.outbox.add(board_id, said)
        self.wake.set()

    async def close_board(self, board_id: str) -> None:
        """Stop and forget one board."""
        board = self.boards.pop(board_id, None)
        if board is not None:
            await asyncio.to_thread(board.close)

    async def close(self) -> None:
        """The page has gone: stop every board."""
        self.closed = True
        self.wake.set()
        boards, self.boards = list(self.boards.values()), {}
        for board in boards:
            board.kill()  # now: a close cut short (the server stopping) leaves none running
        await asyncio.to_thread(lambda: [board.close() for board in boards])
