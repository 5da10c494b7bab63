"""V2 ``microbit.run_every``: call a function periodically (reference §4, §1.2, §1.3).

``run_every(callback=None, *, days=0, h=0, min=0, s=0, ms=0)``: the period is
days·86400000 + h·3600000 + min·60000 + s·1000 + ms milliseconds (unsigned 32-bit).
Without a callback it returns a decorator object (type ``run_every``) that schedules
the function it is called with and returns itself; with one it schedules at once.
The first call comes one period after scheduling, then every period, on the board's
clock (in virtual time: at exact instants, while the program sleeps or polls).

A callback that raises is descheduled, and the exception reaches the main program
as ``SystemExit(None, exc)`` (§1.3 point 4), which ``except Exception`` does not
catch; the firmware's main.c then reports the inner exception as an uncaught error.
Timers stop when main.py ends (§1.2): ``stop_all(device)``, and a fresh ``microbit``
module (after ``reset()``) cancels the previous run's timers.
"""

from __future__ import annotations

import sys

from ubit.sim.board.board import Board
from ubit.sim.board.clock import Timer
from ubit.sim.micropython import executor
from ubit.sim.micropython.args import to_int
from ubit.sim.micropython.boundary import api_class
from ubit.sim.shared.typenames import Any

UNITS_MS = (("days", 86_400_000), ("h", 3_600_000), ("min", 60_000), ("s", 1000), ("ms", 1))
PERIOD_MASK = 0xFFFFFFFF
MIN_PERIOD_MS = 1  # a 0 ms period would fire forever at one instant of virtual time


def timers(board: Board) -> list[Timer]:
    """The run_every timers scheduled on ``device``."""
    return board.module_state("run_every", list)


def stop_all(board: Board) -> None:
    """Cancel every run_every timer (main.py ended, or the board reset)."""
    registry = timers(board)
    for timer in registry:
        timer.cancel()
    registry.clear()


def period_ms(kwargs: dict[str, Any]) -> int:
    """The period the keyword arguments add up to, as the firmware's unsigned 32 bits."""
    return sum(to_int(kwargs.get(unit, 0)) * scale for unit, scale in UNITS_MS) & PERIOD_MASK


def _make_class(board: Board) -> type:
    """The ``run_every`` type of one board."""
    clock = board.clock
    spec = board.spec

    def schedule(callback: Any, every_ms: int) -> None:
        period_us = max(MIN_PERIOD_MS, every_ms) * 1000
        timer: Timer

        def fire() -> None:
            saved = sys.getrecursionlimit()
            # the callback gets the firmware's call depth, as main.py does
            sys.setrecursionlimit(executor.counted_depth() + spec.max_frames)
            try:
                callback()
            except Exception as exc:  # noqa: BLE001 - every callback error is reported
                timer.cancel()
                # the firmware hands it to the main program as SystemExit(None, exc)
                raise SystemExit(None, exc) from None
            finally:
                sys.setrecursionlimit(saved)

        timer = clock.call_later(period_us, fire, period_us, in_program=True)
        timers(board).append(timer)

    class RunEvery:
        """A periodic call (type ``run_every``); calling it with a function schedules it."""

        __slots__ = ("_period_ms",)

        def __init__(self, callback: Any = None, **kwargs: Any) -> None:
            unknown = set(kwargs) - {unit for unit, _ in UNITS_MS}
            if unknown:
                raise TypeError(f"unexpected keyword argument '{sorted(unknown)[0]}'")
            self._period_ms = period_ms(kwargs)
            if callback is not None:
                schedule(callback, self._period_ms)

        def __call__(self, callback: Any) -> Any:
            """Schedule ``callback`` (the decorator form); returns this object."""
            schedule(callback, self._period_ms)
            return self

        def __repr__(self) -> str:
            """Printed as a native object without its own print."""
            return "<run_every>"

    cls = api_class(RunEvery)
    cls.__name__ = cls.__qualname__ = "run_every"
    cls.__module__ = "builtins"
    return cls


def contribute(board: Board, ns: dict[str, Any]) -> None:
    """Add ``run_every`` on V2; a new ``microbit`` module stops the last run's timers."""
    if not board.spec.run_every:  # V2 only (§4)
        return
    stop_all(board)
    ns["run_every"] = _make_class(board)

