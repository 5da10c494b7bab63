"""``utime`` / ``time`` (reference §29): sleeps and 30-bit tick counters on the board's clock."""

from __future__ import annotations

from ubit.sim.board.board import Board
from ubit.sim.micropython.boundary import api
from ubit.sim.shared.typenames import Any

TICKS_PERIOD = 1 << 30
TICKS_MAX = TICKS_PERIOD - 1
TICKS_HALF = TICKS_PERIOD // 2


def _number(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"can't convert {type(value).__name__} to float")
    return value


def create(board: Board) -> dict[str, Any]:
    """The names of ``utime`` on ``device``."""
    clock = board.clock

    def sleep(seconds: Any) -> None:
        """Wait ``seconds`` (int or float)."""
        clock.sleep_us(max(0, _number(seconds)) * 1_000_000)

    def sleep_ms(ms: Any) -> None:
        """Wait ``ms`` milliseconds."""
        clock.sleep_us(max(0, int(_number(ms))) * 1000)

    def sleep_us(us: Any) -> None:
        """Wait ``us`` microseconds."""
        clock.sleep_us(max(0, int(_number(us))))

    def ticks_ms() -> int:
        """Milliseconds, wrapping at 2**30."""
        clock.poll()
        return clock.now_ms() & TICKS_MAX

    def ticks_us() -> int:
        """Microseconds, wrapping at 2**30."""
        clock.poll()
        return clock.now_us() & TICKS_MAX

    def ticks_add(ticks: int, delta: int) -> int:
        """``ticks + delta`` in tick arithmetic."""
        return (ticks + delta) & TICKS_MAX

    def ticks_diff(end: int, start: int) -> int:
        """Signed difference ``end - start`` in tick arithmetic."""
        return ((end - start + TICKS_HALF) & TICKS_MAX) - TICKS_HALF

    return {fn.__name__: api(fn) for fn in (sleep, sleep_ms, sleep_us, ticks_ms, ticks_us,
                                            ticks_add, ticks_diff)}
