"""``power`` (V2 only, reference §24): ``off()`` and ``deep_sleep()`` on the board clock.

``deep_sleep`` waits in virtual (or real) time until ``ms`` have passed, a
wake source is active (a button pressed, a pin touched or reading high) or
serial data arrives; ``run_every`` timers keep running while it sleeps (with
``run_every=False`` they are not paused here: that needs the timers' owner).
``off()`` ends the program quietly, as the board powering down: it raises
``PowerOff``, a SystemExit that V2 prints nothing for. Both publish the
``power`` state ("deep_sleep", "on", "off") for the host.
"""

from __future__ import annotations

from ubit.sim.board.board import Board
from ubit.sim.board.parts import power as power_part
from ubit.sim.micropython.args import to_int
from ubit.sim.micropython.boundary import api
from ubit.sim.shared.typenames import Any

STEP_MS = 10  # how often a sleeping board looks at its wake sources


class PowerOff(SystemExit):
    """``power.off()``: the board is off until reset (the program ends)."""


def _is_button(obj: Any) -> bool:
    return callable(getattr(obj, "is_pressed", None)) and callable(getattr(obj, "get_presses",
                                                                           None))


def _is_pin(obj: Any) -> bool:
    return callable(getattr(obj, "read_digital", None)) or \
        callable(getattr(obj, "is_touched", None))


def _active(source: Any) -> bool:
    """Whether a wake source would wake the board now."""
    if _is_button(source):
        return bool(source.is_pressed())
    if callable(getattr(source, "is_touched", None)):
        return bool(source.is_touched())
    return bool(source.read_digital())


def create(board: Board) -> dict[str, Any]:
    """The names of ``power`` on ``device``."""
    clock = board.clock
    power = power_part.of(board)

    def off() -> None:
        """Power the board down (it starts from scratch when woken)."""
        power.set(power_part.OFF)
        raise PowerOff()

    def deep_sleep(ms: Any = None, wake_on: Any = None, run_every: Any = True) -> None:
        """Sleep until ``ms`` pass or a source in ``wake_on`` is active."""
        wait_ms = None if ms is None else to_int(ms)
        if wake_on is None:
            sources: list[Any] = []
        elif isinstance(wake_on, (tuple, list)):
            sources = list(wake_on)
        else:
            sources = [wake_on]
        for source in sources:
            if not (_is_button(source) or _is_pin(source)):
                raise ValueError("expecting a pin or button")
        power.set(power_part.DEEP_SLEEP)
        start = clock.now_ms()
        try:
            while wait_ms is None or clock.now_ms() - start < wait_ms:
                step = STEP_MS if wait_ms is None else min(STEP_MS,
                                                           wait_ms - (clock.now_ms() - start))
                clock.sleep_ms(step)
                if board.serial.any() or any(_active(source) for source in sources):
                    break
        finally:
            power.set(power_part.ON)

    return {"__name__": "power", "off": api(off), "deep_sleep": api(deep_sleep)}
