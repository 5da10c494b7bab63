"""The chip's free-running timer and its random number generator, for code that reads them.

Assembly reads them through their registers (``ubit.sim.micropython.asm.machine`` maps
them), driven by the board's clock and the board's seeded random source, so a run is the
same at any machine speed.

**Timer**: the one each firmware keeps running at 1 MHz, so its counter is the board's
microsecond clock. V1: TIMER0 at 0x40008000, 24-bit (bbcmicrobit/micropython
``source/lib/ticker.c``: PRESCALER 4, BITMODE 24 bit, started at boot). V2: TIMER1 at
0x40009000, CODAL's system timer (codal-microbit-v2 ``MicroBit.cpp``), 32-bit. The
counter is read the nRF way (nRF51 RM §18, nRF52833 PS §6.30): write 1 to
``TASKS_CAPTURE[n]`` (+0x040 + 4n), read ``CC[n]`` (+0x540 + 4n). ``TASKS_CLEAR``,
``TASKS_STOP``/``START``, ``PRESCALER`` and ``BITMODE`` act on the copy the code sees.

**RNG** at 0x4000D000 on both chips (nRF51 RM §21, nRF52833 PS §6.21): after
``TASKS_START`` a new byte is ready every ``RNG_PERIOD_US`` (the data sheets' typical
time without bias correction), flagged by ``EVENTS_VALRDY`` (+0x100) and read from
``VALUE`` (+0x508); ``TASKS_STOP`` stops it. The firmware leaves it stopped.
"""

from __future__ import annotations

from ubit.sim.shared.typenames import Any

TIMER_TASKS_START, TIMER_TASKS_STOP, TIMER_TASKS_CLEAR = 0x000, 0x004, 0x00C
TIMER_CAPTURE, TIMER_CC = 0x040, 0x540
TIMER_MODE, TIMER_BITMODE, TIMER_PRESCALER = 0x504, 0x508, 0x510
BITMODE_MASKS = (0xFFFF, 0xFF, 0xFFFFFF, 0xFFFFFFFF)  # BITMODE 0-3: 16, 8, 24, 32 bit
RNG_TASKS_START, RNG_TASKS_STOP, RNG_VALRDY, RNG_SHORTS = 0x000, 0x004, 0x100, 0x200
RNG_CONFIG, RNG_VALUE = 0x504, 0x508
RNG_BASE = 0x4000D000
RNG_PERIOD_US = {"cortex-m0": 167, "cortex-m4": 30}  # nRF51 RM §21.2, nRF52833 PS §6.21.3


def timer_base(spec: Any) -> int:
    """The address of the timer the firmware keeps running (V1 TIMER0, V2 TIMER1)."""
    return 0x40008000 if spec.cpu_model == "cortex-m0" else 0x40009000


class Timer:
    """The firmware's microsecond timer: its counter is the board's clock."""

    def __init__(self, board: Any) -> None:
        self.board = board
        self.channels = 4 if board.spec.cpu_model == "cortex-m0" else 6
        self.cc = [0] * self.channels
        self.bitmode = 2 if board.spec.cpu_model == "cortex-m0" else 3
        self.prescaler = 4  # 16 MHz / 2**4: 1 MHz
        self.mode = 0
        self.running = True
        self.offset_ticks = 0  # what TASKS_CLEAR and stopped spans take off the count
        self.stopped_at: int | None = None

    def _ticks(self) -> int:
        """Ticks since boot at the current prescaler (16 MHz / 2**PRESCALER)."""
        return self.board.clock.now_us() * 16 >> min(self.prescaler, 9)

    def counter(self) -> int:
        """The internal counter now."""
        now = self._ticks() if self.stopped_at is None else self.stopped_at
        return (now - self.offset_ticks) & BITMODE_MASKS[self.bitmode & 3]

    def read(self, offset: int) -> int:
        """A 32-bit read of a register (0 for registers not modelled)."""
        if TIMER_CC <= offset < TIMER_CC + 4 * self.channels:
            return self.cc[(offset - TIMER_CC) // 4]
        return {TIMER_MODE: self.mode, TIMER_BITMODE: self.bitmode,
                TIMER_PRESCALER: self.prescaler}.get(offset, 0)

    def write(self, offset: int, value: int) -> None:
        """A 32-bit write of a register."""
        if TIMER_CAPTURE <= offset < TIMER_CAPTURE + 4 * self.channels:
            if value & 1:
                self.cc[(offset - TIMER_CAPTURE) // 4] = self.counter()
        elif TIMER_CC <= offset < TIMER_CC + 4 * self.channels:
            self.cc[(offset - TIMER_CC) // 4] = value & BITMODE_MASKS[self.bitmode & 3]
        elif offset == TIMER_TASKS_CLEAR and value & 1:
            self.offset_ticks = self._ticks() if self.stopped_at is None else self.stopped_at
        elif offset == TIMER_TASKS_STOP and value & 1 and self.stopped_at is None:
            self.stopped_at = self._ticks()
        elif offset == TIMER_TASKS_START and value & 1 and self.stopped_at is not None:
            self.offset_ticks += self._ticks() - self.stopped_at
            self.stopped_at = None
        elif offset == TIMER_BITMODE:
            self.bitmode = value & 3
        elif offset == TIMER_PRESCALER:
            count = self.counter()
            self.prescaler = value & 0xF
            self.offset_ticks = self._ticks() - count  # the count carries on from here
        elif offset == TIMER_MODE:
            self.mode = value & 3


class Rng:
    """The random number generator: a byte every period while started, from the board's seed."""

    def __init__(self, board: Any) -> None:
        self.board = board
        self.period_us = RNG_PERIOD_US.get(board.spec.cpu_model, 30)
        self.started_at: int | None = None
        self.taken = 0  # bytes made since the start that the code has seen flagged
        self.value = 0
        self.valrdy = 0
        self.config = 0
        self.shorts = 0

    def _made(self) -> int:
        """Bytes made since the start (0 while stopped)."""
        if self.started_at is None:
            return 0
        return (self.board.clock.now_us() - self.started_at) // self.period_us

    def _update(self) -> None:
        made = self._made()
        if made > self.taken:  # a new byte is ready: one draw from the board's seed
            self.taken = made
            self.value = self.board.random.getrandbits(8)
            self.valrdy = 1

    def read(self, offset: int) -> int:
        """A 32-bit read of a register (0 for registers not modelled)."""
        self._update()
        if offset == RNG_VALUE:
            return self.value
        if offset == RNG_VALRDY:
            return self.valrdy
        return {RNG_CONFIG: self.config, RNG_SHORTS: self.shorts}.get(offset, 0)

    def write(self, offset: int, value: int) -> None:
        """A 32-bit write of a register."""
        self._update()
        if offset == RNG_TASKS_START and value & 1 and self.started_at is None:
            self.started_at, self.taken = self.board.clock.now_us(), 0
        elif offset == RNG_TASKS_STOP and value & 1:
            self.started_at = None
        elif offset == RNG_VALRDY:
            self.valrdy = value & 1
        elif offset == RNG_CONFIG:
            self.config = value & 1
        elif offset == RNG_SHORTS:
            self.shorts = value & 1


def timer_of(board: Any) -> Timer:
    """The board's running timer."""
    return board.part("nrf_timer", lambda: Timer(board))


def rng_of(board: Any) -> Rng:
    """The board's random number generator."""
    return board.part("nrf_rng", lambda: Rng(board))
