"""``microbit`` top level: sleep, running_time, panic, reset, scale (reference §4)."""

from __future__ import annotations

from ubit.sim.board.board import Board
from ubit.sim.board.interrupts import ResetRequested
from ubit.sim.micropython.boundary import api
from ubit.sim.shared.typenames import Any


class Panic(BaseException):
    """``panic(n)``: the board stops in panic mode until reset."""

    def __init__(self, code: int) -> None:
        super().__init__(code)
        self.code = code


def _ms(value: Any, target: str = "int") -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"can't convert {type(value).__name__} to {target}")
    return int(value)


def contribute(board: Board, ns: dict[str, Any]) -> None:
    """Add the top-level functions."""
    clock = board.clock
    # V2 reads a non-integer as a float (firmware-v2-observed 165: "can't convert str to float")
    target = "int" if board.spec.grammar_1_9 else "float"

    def sleep(n: Any) -> None:
        """Wait ``n`` milliseconds (background tasks keep running)."""
        clock.sleep_ms(max(0, _ms(n, target)))

    def running_time() -> int:
        """Milliseconds since the board started."""
        clock.poll()
        return clock.now_ms() & 0x7FFFFFFF

    def panic(n: int = 999) -> None:
        """Stop in panic mode with code ``n``."""
        raise Panic(int(n))

    def reset() -> None:
        """Restart the board."""
        raise ResetRequested()

    def scale(value: Any, from_: Any, to: Any) -> int | float:
        """Map ``value`` from the range ``from_`` to the range ``to``."""
        (f0, f1), (t0, t1) = _pair(from_), _pair(to)
        result = (value - f0) / (f1 - f0) * (t1 - t0) + t0
        if isinstance(t0, float) or isinstance(t1, float):
            return float(result)
        return round(result)  # round half to even, as nearbyint

    ns.update({name: api(fn) for name, fn in (("sleep", sleep), ("running_time", running_time),
                                              ("panic", panic), ("reset", reset),
                                              ("scale", scale))})


def _pair(seq: Any) -> tuple[Any, Any]:
    items = tuple(seq)
    if len(items) != 2:
        raise ValueError(f"requested length 2 but object has length {len(items)}")
    return items[0], items[1]
