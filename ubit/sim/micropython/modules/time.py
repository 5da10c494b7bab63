"""``utime`` / ``time`` (reference §29): sleeps and 30-bit tick counters on the board's clock."""

from __future__ import annotations

from ubit.sim.board.board import Board
from ubit.sim.micropython.api.core import c_int
from ubit.sim.micropython.args import to_float, to_int
from ubit.sim.micropython.boundary import c_function
from ubit.sim.micropython.mpfloat import float32
from ubit.sim.shared.typenames import Any

TICKS_PERIOD = 1 << 30
TICKS_MAX = TICKS_PERIOD - 1
TICKS_HALF = TICKS_PERIOD // 2


def create(board: Board) -> dict[str, Any]:
    """The names of ``utime`` on ``device``."""
    clock, spec = board.clock, board.spec
    # extmod/utime_mphal.c (the V1 port's copy of 1.9.2 and 1.18, which the V2 uses): sleep
    # takes any number (mp_obj_get_float), sleep_ms/sleep_us an int or bool only
    # (mp_obj_get_int: "can't convert float to int", on the V1 firmware under QEMU too)

    def sleep(seconds: Any) -> None:
        """Wait ``seconds`` (int or float)."""
        # mp_hal_delay_ms((mp_uint_t)(1000 * mp_obj_get_float(s))): whole milliseconds.
        # A negative wait is a huge unsigned one on the V1 (under QEMU utime.sleep(-1)
        # never returns: libgcc's conversion, modelled as f2iz then unsigned) and none on
        # the V2 (VFP vcvt to unsigned saturates at 0).
        ms = c_int(float32(1000.0 * float32(to_float(seconds))), spec)
        if ms < 0 and not spec.asm_fpu:
            ms += 1 << 32
        clock.sleep_ms(max(0, ms))

    def sleep_ms(ms: Any) -> None:
        """Wait ``ms`` milliseconds."""
        clock.sleep_us(max(0, to_int(ms)) * 1000)

    def sleep_us(us: Any) -> None:
        """Wait ``us`` microseconds."""
        clock.sleep_us(max(0, to_int(us)))

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
        # (delta by mp_obj_get_int; ticks is read as a small int unchecked: a float's
        # reading is its address, which no model has)
        return (ticks + to_int(delta)) & TICKS_MAX

    def ticks_diff(end: int, start: int) -> int:
        """Signed difference ``end - start`` in tick arithmetic."""
        return ((end - start + TICKS_HALF) & TICKS_MAX) - TICKS_HALF

    return {fn.__name__: c_function(fn) for fn in (sleep, sleep_ms, sleep_us, ticks_ms, ticks_us,
                                            ticks_add, ticks_diff)}
