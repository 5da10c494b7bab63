"""A virtual board's serial port as a pseudo-terminal, so any serial program can connect.

screen, picocom, Mu, microfs, mpremote or ubit itself open the pty's path as
they would a board's /dev/ttyACM0. We keep the slave end open ourselves (a
closed slave makes the master report EIO on Linux), in raw mode so nothing is
echoed or translated on the way.
"""

from __future__ import annotations

import errno
import os
import select
import threading
import tty

from ubit.sim.host.handle import VirtualBoard


class PtyBridge:
    """Copies bytes between a pty and a board's serial port until stopped."""

    def __init__(self, board: VirtualBoard) -> None:
        self.board = board
        self.master, self._slave = os.openpty()
        tty.setraw(self._slave)
        self.path = os.ttyname(self._slave)
        os.set_blocking(self.master, False)
        self._stop = threading.Event()
        self._threads = [threading.Thread(target=self._to_board, name="pty-in", daemon=True),
                         threading.Thread(target=self._from_board, name="pty-out", daemon=True)]

    def start(self) -> PtyBridge:
        """Start copying in both directions."""
        for thread in self._threads:
            thread.start()
        return self

    def _to_board(self) -> None:
        while not self._stop.is_set():
            ready, _, _ = select.select([self.master], [], [], 0.2)
            if not ready:
                continue
            try:
                data = os.read(self.master, 4096)
            except OSError as exc:
                if exc.errno in (errno.EAGAIN, errno.EIO):
                    continue
                return
            if data:
                self.board.write_serial(data)

    def _from_board(self) -> None:
        while not self._stop.is_set():
            data = self.board.read_serial(timeout=0.2)
            if not data:
                if not self.board.running:
                    return
                continue
            self._write_all(data)

    def _write_all(self, data: bytes) -> None:
        view = memoryview(data)
        while view and not self._stop.is_set():
            try:
                sent = os.write(self.master, view)
                view = view[sent:]
            except BlockingIOError:
                select.select([], [self.master], [], 0.2)  # the reader is behind: wait
            except OSError:
                return

    def stop(self) -> None:
        """Stop copying and close the pty."""
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=1)
        for fd in (self.master, self._slave):
            try:
                os.close(fd)
            except OSError:
                pass
