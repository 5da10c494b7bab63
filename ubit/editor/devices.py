"""A page's real micro:bit: its serial port held by the server, on the websocket /ws/device.

The contract is docs/editor-devices.md. The server, not the browser, owns the port, so the
same page works with a board on USB, ``ubit sim``'s pseudo-terminal and the V1 firmware
under QEMU (a port path each). A reader thread relays what the board prints; a port that
goes away (unplugged, emulator stopped) is reopened every second until it comes back.
Files requests and Flash borrow the port from the reader for as long as they run.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse

from ubit.device.discovery import find_microbits
from ubit.device.drives import find_drives
from ubit.device.projectflash import Flashed, flash_drive, pick_flash_drive, try_serial
from ubit.device.transport import PortClosedError, SerialTransport, Transport
from ubit.editor.boardfiles import FILE_REQUESTS, answer_file_request, throttled
from ubit.editor.boards import PageFeed, Send
from ubit.editor.projects import ProjectStore
from ubit.errors import DeviceError, UbitError
from ubit.sim.shared import protocol

READ_S = 0.05  # the reader's longest wait, so a borrower never waits long for the port
REOPEN_S = 1.0  # between attempts to reopen a port that went away

Hear = Callable[[dict[str, Any]], None]


async def devices_route(request: Request) -> JSONResponse:
    """``GET /api/devices``: the micro:bits on USB (serial ports) and their drives."""
    def look() -> dict[str, Any]:
        boards = [{"port": m.port, "version": m.version, "serial_number": m.serial_number}
                  for m in find_microbits()]
        drives = [{"path": str(d.path), "version": d.board_label} for d in find_drives()]
        return {"boards": boards, "drives": drives}

    return JSONResponse(await asyncio.to_thread(look))


class PortLink:
    """One serial port held for a page: relayed while idle, lent to one borrower at a time."""

    def __init__(self, port: str, hear: Hear, opener: Callable[[str], Transport] = SerialTransport
                 ) -> None:
        """Open ``port`` (``DeviceError`` with the reason if it can't be) and start relaying."""
        self.port = port
        self.hear = hear
        self.opener = opener
        self.transport: Transport | None = opener(port)
        self.lock = threading.Lock()  # held by the reader while it reads, by a borrower
        self.wanted = threading.Event()  # a borrower waits: the reader steps aside
        self.closed = False
        self.thread = threading.Thread(target=self._relay, name=f"port {port}", daemon=True)
        self.thread.start()

    @property
    def busy(self) -> bool:
        """Whether a Files request or Flash has the port now."""
        return self.wanted.is_set()

    def _relay(self) -> None:
        """Pass on what the board prints; reopen the port when it comes back."""
        while not self.closed:
            if self.wanted.is_set():
                time.sleep(0.01)
                continue
            with self.lock:
                if self.closed:
                    break
                if self.transport is None:
                    self._reopen()
                    continue
                try:
                    data = self.transport.read(READ_S)
                except (PortClosedError, DeviceError) as exc:
                    self._lost(exc)
                    continue
            if data:
                self.hear({"kind": protocol.SERIAL_OUT, "data": protocol.b64(data)})

    def _lost(self, exc: Exception) -> None:
        """The port went away: say so, and try to reopen it from now on (lock held)."""
        if self.transport is not None:
            with contextlib.suppress(DeviceError):
                self.transport.close()
        self.transport = None
        self.hear({"kind": "status", "state": "lost", "port": self.port,
                   "message": f"{self.port} went away ({exc}); waiting for it to come back"})

    def _reopen(self) -> None:
        """One attempt to open the port again (lock held); a second's pause if it fails."""
        if os.path.exists(self.port) or os.name != "posix":
            try:
                self.transport = self.opener(self.port)
            except DeviceError:
                self.transport = None
            else:
                self.hear({"kind": "status", "state": "connected", "port": self.port,
                           "message": f"{self.port} is back"})
                return
        self.lock.release()  # don't hold up a borrower or close() while waiting
        try:
            time.sleep(REOPEN_S)
        finally:
            self.lock.acquire()

    def write(self, data: bytes) -> None:
        """Send the page's typing to the board (dropped while the port is lent or away)."""
        transport = self.transport
        if transport is None or self.busy:
            return
        try:
            transport.write(data)
        except DeviceError:
            pass  # the reader notices a vanished port and says so

    @contextlib.contextmanager
    def borrow(self) -> Iterator[Transport]:
        """The port for one operation; the relay is paused until it is given back."""
        self.wanted.set()
        try:
            with self.lock:
                if self.transport is None:
                    raise DeviceError(f"{self.port} is not there now (unplugged?); plug the "
                                      "micro:bit in again and retry")
                yield self.transport
        finally:
            self.wanted.clear()

    def close(self) -> None:
        """Stop relaying and close the port."""
        self.closed = True
        self.wanted.clear()
        with self.lock:
            if self.transport is not None:
                with contextlib.suppress(DeviceError):
                    self.transport.close()
                self.transport = None
        if threading.current_thread() is not self.thread:
            self.thread.join(timeout=2)


def project_files(store: ProjectStore, project: str, main: str | None) -> dict[str, bytes]:
    """The files Flash sends: the project's, with ``main`` as main.py when given."""
    files = store.contents(project)
    if main and main != "main.py":
        if main not in files:
            raise UbitError(f"the project has no file {main!r}")
        files = {**files, "main.py": files[main]}
    if "main.py" not in files:
        raise UbitError("the project has no main.py: the board runs main.py at start")
    return files


def universal_hex(files: dict[str, bytes]) -> bytes:
    """The project as one universal .hex (V1 and V2)."""
    from ubit.hexfile import SourceFile
    from ubit.project import build_hex

    text, _ = build_hex([SourceFile(name, data) for name, data in files.items()],
                        "universal", "main.py")
    return text.encode("ascii")


class DeviceSession(PageFeed):
    """The real micro:bit of one page: its port (at most one), Files requests and Flash."""

    def __init__(self, send: Send, store: ProjectStore,
                 opener: Callable[[str], Transport] = SerialTransport) -> None:
        super().__init__(send)
        self.store = store
        self.opener = opener
        self.link: PortLink | None = None
        self.tasks: set[asyncio.Task[None]] = set()
        self.working = False  # a Files request or Flash is running

    def hear(self, message: dict[str, Any]) -> None:
        """A message for the page, from any thread."""
        def put() -> None:
            self.outbox.add(None, message)
            self.wake.set()

        if not self.closed:
            self.loop.call_soon_threadsafe(put)

    async def handle(self, message: dict[str, Any]) -> None:
        """One message from the page."""
        kind = message.get("kind")
        if kind == "connect":
            await self.connect(str(message.get("port") or ""))
        elif kind == "disconnect":
            await self.disconnect()
            await self.send({"kind": "status", "state": "disconnected"})
        elif kind == protocol.SERIAL_IN:
            if self.link is not None:
                self.link.write(protocol.unb64(str(message.get("data") or "")))
        elif kind in FILE_REQUESTS or kind == "flash":
            self.start_work(message)
        else:
            await self.send({"kind": protocol.ERROR, "message": f"a page can't say {kind!r}"})

    async def connect(self, port: str) -> None:
        """Open ``port`` for this page (closing the one it had)."""
        await self.disconnect()
        if not port:
            await self.send({"kind": protocol.ERROR, "op": "connect",
                             "message": "no port given: choose a micro:bit or type its port"})
            return
        try:
            self.link = await asyncio.to_thread(PortLink, port, self.hear, self.opener)
        except UbitError as exc:
            await self.send({"kind": protocol.ERROR, "op": "connect", "message": str(exc)})
            return
        await self.send({"kind": "status", "state": "connected", "port": port,
                         "message": f"connected to {port}"})

    async def disconnect(self) -> None:
        """Close the page's port, if it has one."""
        link, self.link = self.link, None
        if link is not None:
            # stop its reader now, before any await: if this task is cancelled (the server
            # going down), a reader left running would take the port again when it reappears
            link.closed = True
            await asyncio.to_thread(link.close)

    def start_work(self, message: dict[str, Any]) -> None:
        """Start a Files request or Flash in the background (one at a time)."""
        kind = str(message.get("kind"))
        if self.working:
            self.hear({"kind": protocol.ERROR, "id": message.get("id"), "op": kind,
                       "message": "the micro:bit is busy with another transfer: wait for it"})
            return
        if kind != "flash" and self.link is None:
            self.hear({"kind": protocol.ERROR, "id": message.get("id"), "op": kind,
                       "message": "not connected: choose a micro:bit and press Connect"})
            return
        self.working = True
        work = self.flash(message) if kind == "flash" else answer_file_request(
            message, self.link.borrow, self.store, self.hear)  # type: ignore[union-attr]
        task = asyncio.create_task(work)
        self.tasks.add(task)

        def finished(done: asyncio.Task[None]) -> None:
            self.tasks.discard(done)
            self.working = False

        task.add_done_callback(finished)

    async def flash(self, message: dict[str, Any]) -> None:
        """Send a project to the board: over serial when it can, else through its drive."""
        request_id = message.get("id")
        progress = throttled(self.hear, message, "flash")

        def work() -> Flashed:
            files = project_files(self.store, str(message.get("project") or ""),
                                  message.get("main"))
            return flash_to(self.link, files, progress, self.opener)

        try:
            result = await asyncio.to_thread(work)
        except (UbitError, ValueError) as exc:
            self.hear({"kind": protocol.ERROR, "id": request_id, "op": "flash",
                       "message": str(exc)})
            return
        self.hear({"kind": "done", "id": request_id, "op": "flash", "method": result.method,
                   "message": result.message})

    async def close(self) -> None:
        """The page has gone: give the port back."""
        self.closed = True
        self.wake.set()
        await self.disconnect()


def flash_to(link: PortLink | None, files: dict[str, bytes],
             say: Callable[[int, int, str], None],
             opener: Callable[[str], Transport] = SerialTransport) -> Flashed:
    """Flash ``files`` to the connected board, or to the one micro:bit on USB."""
    serial_number = None
    if link is not None:
        with link.borrow() as transport:
            outcome = try_serial(transport, files, say)
        port = link.port
    else:
        found = find_microbits()
        if len(found) > 1:
            names = ", ".join(f"{m.port} ({m.version or '?'})" for m in found)
            raise DeviceError(f"{len(found)} micro:bits found ({names}): choose one in the "
                              "list and press Connect, then Flash")
        if not found and not find_drives():
            raise DeviceError("no micro:bit found: plug one in with a USB data cable "
                              "(or connect to a port), then Flash again")
        if found:
            port, serial_number = found[0].port, found[0].serial_number
            transport = opener(port)  # a busy port's error names the program holding it
            try:
                outcome = try_serial(transport, files, say)
            finally:
                transport.close()
        else:
            port, outcome = "", "no serial port was found for it"
    if isinstance(outcome, Flashed):
        return outcome
    drive = pick_flash_drive(serial_number)
    say(0, 1, f"{port or 'the board'}: {outcome}; flashing the whole program through "
              f"{drive.describe()}")
    return flash_drive(universal_hex(files), drive, say)
