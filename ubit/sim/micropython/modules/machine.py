"""``machine`` (reference §25): the chip's id and clock, interrupts, raw memory, pulses.

``unique_id()`` and ``freq()`` come from the board spec (the V1 id is what
the firmware reads under QEMU, the V2 one a real board's). ``mem8/16/32``
index a small sparse memory: reads of the chip's FICR DEVICEID words give the
unique id, other addresses read back what was written (0 at first).
``time_pulse_us`` polls the pin on the board clock, so pulses scripted as
host input are timed in virtual time.
"""

from __future__ import annotations

from ubit.sim.board.board import Board
from ubit.sim.board.interrupts import ResetRequested
from ubit.sim.micropython.boundary import api, api_class
from ubit.sim.micropython.modules.struct import to_int, to_int_truncated
from ubit.sim.shared.typenames import Any

FICR_DEVICEID = 0x10000060  # nRF51/nRF52 factory information: the 64-bit device id


@api_class
class Memory:
    """``machine.mem8/16/32``: aligned loads and stores of one width."""
    __hash__ = None  # type: ignore[assignment]  # a native type: no hash (buttons.native)

    def __init__(self, width: int, cells: dict[int, int]) -> None:
        self._width = width
        self._cells = cells  # byte address -> byte, shared by the three views

    def _address(self, index: Any) -> int:
        address = to_int_truncated(index)
        if address % self._width:
            raise ValueError(f"address {address:08x} is not aligned to {self._width} bytes")
        return address

    def __getitem__(self, index: Any) -> int:
        address = self._address(index)
        data = bytes(self._cells.get(address + i, 0) for i in range(self._width))
        return int.from_bytes(data, "little")

    def __setitem__(self, index: Any, value: Any) -> None:
        address = self._address(index)
        word = to_int_truncated(value)
        for i in range(self._width):
            self._cells[address + i] = (word >> (8 * i)) & 0xFF

    def __delitem__(self, index: Any) -> None:
        raise TypeError("'mem' object doesn't support item deletion")

    def __repr__(self) -> str:
        return f"<{8 * self._width}-bit memory>"


Memory.__name__ = Memory.__qualname__ = "mem"


def create(board: Board) -> dict[str, Any]:
    """The names of ``machine`` on ``device``."""
    spec = board.spec
    clock = board.clock
    irq = {"disabled": 0}
    cells = {FICR_DEVICEID + i: byte for i, byte in enumerate(spec.unique_id)}

    def unique_id() -> bytes:
        """The chip's 64-bit id, as 8 bytes."""
        return spec.unique_id

    def reset() -> None:
        """Restart the board (as ``microbit.reset``)."""
        raise ResetRequested()

    def freq() -> int:
        """The CPU clock in Hz."""
        return spec.machine_freq

    def disable_irq() -> int:
        """Stop interrupts; returns the state to give ``enable_irq``."""
        state, irq["disabled"] = irq["disabled"], 1
        return state

    def enable_irq(state: Any) -> None:
        """Restore the interrupt state ``disable_irq`` returned."""
        irq["disabled"] = to_int(state) & 1

    def time_pulse_us(pin: Any, pulse_level: Any, timeout_us: Any = 1_000_000) -> int:
        """Time a pulse at ``pulse_level`` on ``pin`` in µs (-2: none began, -1: too long)."""
        read = getattr(pin, "read_digital", None)
        if read is None:
            raise TypeError("expecting a pin")
        level = 1 if pulse_level else 0
        limit = to_int(timeout_us)
        # first wait for the pulse to begin (-2 on timeout), then time it (-1 on timeout)
        for result, waiting_for in ((-2, level), (-1, 1 - level)):
            start = clock.now_us()
            while read() != waiting_for:
                clock.poll()  # each look at the pin moves virtual time a little
                if clock.now_us() - start >= limit:
                    return result
        return clock.now_us() - start

    functions = (unique_id, reset, freq, disable_irq, enable_irq)
    names: dict[str, Any] = {"__name__": "machine"}
    names.update({fn.__name__: api(fn) for fn in functions})
    microbit = board.modules.get("microbit")
    if microbit is not None and hasattr(microbit, "reset"):
        names["reset"] = microbit.reset  # the very same function, as in the firmware
    names.update(mem8=Memory(1, cells), mem16=Memory(2, cells), mem32=Memory(4, cells),
                 time_pulse_us=api(time_pulse_us))
    return names
