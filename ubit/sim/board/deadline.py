"""The hard end of a timed run: the process goes, whatever the program is doing.

A program's time limit is normally kept by the clock (``TimeUp`` at its next step) and, for
a loop that never calls the board, by raising ``TimeUp`` in its thread. Neither can stop a
long built-in call (``sum(map(abs, range(-2**31, 2**31 - 1)))``, ``str(2**10**8)``): Python
runs nothing else until it returns. ``faulthandler``'s timer runs in C, outside the
interpreter's lock, so it can: this thread keeps re-arming it to the board time that is left
plus ``GRACE_S``; if the program holds the interpreter so long that it can't be re-armed,
the timer ends the process, and the host reports the run as stopped at its time limit (it
recognises ``protocol.DEADLINE_MARK`` in what the board wrote to stderr).
"""

from __future__ import annotations

import faulthandler
import sys
import threading

from ubit.sim.shared import protocol
from ubit.sim.shared.typenames import Any

GRACE_S = protocol.DEADLINE_GRACE_S  # wall time past the limit before the process ends
CHECK_S = 0.1  # how often the timer is re-armed


class HardDeadline:
    """Ends the process ``GRACE_S`` after its time limit if the program can't be stopped."""

    def __init__(self, clock: Any) -> None:
        self.clock = clock
        self.done = threading.Event()
        self.thread = threading.Thread(target=self._watch, name="deadline", daemon=True)

    def start(self) -> HardDeadline:
        """Start keeping the deadline (only for a run with a time limit)."""
        if self.clock.limit_us is not None:
            self._arm()
            self.thread.start()
        return self

    def _arm(self) -> None:
        left_s = max(0.0, (self.clock.limit_us - self.clock.now_us()) / 1e6)
        faulthandler.dump_traceback_later(left_s + GRACE_S, exit=True, file=sys.stderr)

    def _watch(self) -> None:
        while not self.done.wait(CHECK_S):
            self._arm()

    def stop(self) -> None:
        """The program has ended: no deadline any more."""
        self.done.set()
        faulthandler.cancel_dump_traceback_later()
