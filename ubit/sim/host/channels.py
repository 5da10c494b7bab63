"""One thread reading the control channels of many boards (a radio space's, in shared time).

In shared virtual time every board asks its host for more time many times a second,
and each request is answered at once. A thread per board, each woken for its board's
lines and each taking the interpreter from the others, cost the host more than the
answers themselves (issue 17); one thread waiting on all the channels at once takes
whatever lines are there when it wakes, several boards' at a time, and tells its owner
when it has taken them all (``after``: the radio space answers them together).
"""

from __future__ import annotations

import selectors
import socket
import threading
from collections.abc import Callable

from ubit.sim.shared.typenames import TYPE_CHECKING

if TYPE_CHECKING:
    from ubit.sim.host.handle import VirtualBoard

CHUNK = 1 << 16  # bytes read from a channel at a time
SWEEP_S = 0.5  # how often a quiet loop looks for channels closed under it


class _Channel:
    """One board's channel: the board, its socket and the start of a line not yet whole."""

    __slots__ = ("board", "sock", "rest")

    def __init__(self, board: VirtualBoard, sock: socket.socket) -> None:
        self.board = board
        self.sock = sock
        self.rest = b""


class ChannelLoop:
    """Reads boards' control channels in one thread; ``add`` is a board's
    ``control_reader``. The thread runs while it has channels to read."""

    def __init__(self, before: Callable[[], None] | None = None,
                 after: Callable[[], None] | None = None) -> None:
        self.before = before  # called before the lines of one wake-up are taken
        self.after = after  # called once they all have been
        self._lock = threading.Lock()
        self._selector: selectors.BaseSelector | None = None
        self._thread: threading.Thread | None = None

    def add(self, board: VirtualBoard, sock: socket.socket) -> None:
        """Read ``board``'s channel ``sock`` from now on (a board's ``control_reader``)."""
        with self._lock:
            if self._selector is None:
                self._selector = selectors.DefaultSelector()
            self._selector.register(sock, selectors.EVENT_READ, _Channel(board, sock))
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, args=(self._selector,),
                                                name="board-channels", daemon=True)
                self._thread.start()

    def _run(self, selector: selectors.BaseSelector) -> None:
        while True:
            with self._lock:
                if not selector.get_map():
                    selector.close()
                    self._selector = self._thread = None
                    return
            events = selector.select(SWEEP_S)
            if not events:
                self._sweep(selector)
                continue
            if self.before is not None:
                self.before()
            try:
                for key, _ in events:
                    self._read(selector, key.data)
            finally:
                if self.after is not None:
                    self.after()

    def _read(self, selector: selectors.BaseSelector, channel: _Channel) -> None:
        try:
            data = channel.sock.recv(CHUNK)
        except OSError:
            data = b""
        if not data:
            self._close(selector, channel)
            return
        if channel.rest:
            data = channel.rest + data
        end = data.rfind(b"\n") + 1
        channel.rest = data[end:]
        if not end:
            return
        take = channel.board.take_line
        start = 0
        while start < end:
            stop = data.index(b"\n", start) + 1
            try:
                take(data[start:stop])
            except Exception:  # noqa: BLE001 - one board's fault mustn't stop the others'
                import traceback

                traceback.print_exc()
            start = stop

    def _close(self, selector: selectors.BaseSelector, channel: _Channel) -> None:
        """The channel has ended: take what is left of it, and let the board finish (in a
        thread of its own: it waits for the board's process)."""
        with self._lock:
            selector.unregister(channel.sock)
        if channel.rest:
            channel.board.take_line(channel.rest)  # a line cut short by a dying board
            channel.rest = b""
        threading.Thread(target=channel.board.channel_ended, name="board-ended",
                         daemon=True).start()

    def _sweep(self, selector: selectors.BaseSelector) -> None:
        """Stop reading channels closed by this side (a board closed before its process's
        end was read): the selector would never report them again."""
        for key in list(selector.get_map().values()):
            if key.fileobj.fileno() < 0:  # type: ignore[union-attr]
                self._close(selector, key.data)
