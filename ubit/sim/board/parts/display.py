"""The 5×5 LED matrix: a brightness 0–9 per LED, on/off, and the firmware's animation driver.

The host sees ``display`` as 5 rows of 5 ints (top row first) whenever what the
LEDs show changes; a display that is off shows all 0.

Animations run as the firmware's display driver runs them (reference §5.1–5.2,
measured on the V1 firmware under QEMU): the first frame is drawn at once, then a
tick every 6 ms (in phase with the board's clock) adds 6 to a counter, and when it
reaches ``delay`` the next frame is drawn. So a frame lasts ``delay`` rounded up to
6 ms (at least one tick), and an animation of N frames ends on the N-th frame time
after its start, when the iterator has nothing left.

The host hears at most one ``set_pixel`` change per 6 ms refresh: the first in a refresh
period goes at once, later ones in that period wait for the next refresh (a ``set_pixel``
loop sends one frame per refresh, not one per call). Whole images (``show``, animation
frames) go at once, up to ``IMAGE_BURST`` in one refresh period (a test reads each of a
few shows in a row, tests/sim/test_display.py) unless the period before had to hold one
back: so a loop showing images faster than the display refreshes sends one a refresh,
the latest — as the LEDs could never show the others. On/off and the end of the program
always go at once.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator

from ubit.sim.board.clock import TICK_US, Clock
from ubit.sim.board.parts.base import Part, Publish
from ubit.sim.shared.protocol import PartSpec
from ubit.sim.shared.typenames import Any

TICK_MS = TICK_US // 1000
SIZE = 5
MAX_BRIGHTNESS = 9
IDLE_DELAY = 1000  # the driver's delay when no animation runs (used by V1's clear)
IMAGE_BURST = 4  # whole images sent at once in one refresh period (then one per refresh)

Grid = list[list[int]]  # [row][column]

# What a frame source returns besides a grid (or an exception instance to raise):
END = "end"  # the iterator is exhausted (then ``clear`` blanks the display)
HALT = "halt"  # stop at once (show's sequence had a longer string in it)

FrameSource = Callable[[], Any]

_STOPPED, _ANIMATION, _CLEAR = 0, 1, 2

PART = PartSpec("display", "LED display", state=("display",))


class CountedFrames:
    """A frame source of grids whose number is known (a scroll): ``left`` are still to come.

    The display can then tell when a wait for it ends without running it (shared virtual
    time: ``Clock.sleep_us``'s ``held_until``). Only for frames computed by the board
    itself: a source that runs user code (a generator of images) must not be one.
    """

    __slots__ = ("_frames", "left")

    def __init__(self, frames: Iterator[Grid], count: int) -> None:
        self._frames = frames
        self.left = count

    def __call__(self) -> Any:
        """The next grid, or ``END``."""
        item = next(self._frames, END)
        if item is not END:
            self.left = max(0, self.left - 1)
        return item


def blank_grid() -> Grid:
    """5 rows of 5 dark LEDs."""
    return [[0] * SIZE for _ in range(SIZE)]


class Display(Part):
    """The LED matrix and its animation driver."""

    part_id = "display"

    def __init__(self, clock: Clock, publish: Publish | None = None,
                 pause_when_off: bool = False) -> None:
        super().__init__(publish)
        self.clock = clock
        # V1 runs the animation from the display refresh, which stops while the display is off
        self.pause_when_off = pause_when_off
        self._leds = blank_grid()
        self._on = True
        self._published = blank_grid()  # the host's view starts dark too
        self._sent_period = -1  # the refresh period (now // TICK_US) of the last message
        self._sent_in_period = 0  # messages sent in that period
        self._held_period = -2  # the last refresh period a change waited for the next one
        self._dirty = False  # the LEDs changed since the last message (a flush is due)
        self._flush_timer: Any = None
        self._lock = threading.RLock()
        self._mode = _STOPPED
        self.looping = False  # the running animation repeats for ever (show/scroll loop=True)
        self._source: FrameSource | None = None
        self._delay = IDLE_DELAY  # unsigned in the firmware: a negative delay never elapses
        self._count = 0
        self._clear = False
        self._timer: Any = None
        self._serial = 0  # which animation is current: a wait ends when it changes
        self._idle = threading.Event()
        self._idle.set()
        self.pending: BaseException | None = None  # raised in the program at its next call

    # -- the LEDs ------------------------------------------------------------------------------
    def get_pixel(self, x: int, y: int) -> int:
        """Brightness of the LED at column ``x``, row ``y``."""
        return self._leds[y][x]

    def set_pixel(self, x: int, y: int, value: int) -> None:
        """Set one LED."""
        with self._lock:
            row = self._leds[y]
            if row[x] != value:
                row[x] = value
                self._publish()

    def show(self, grid: Grid) -> None:
        """Set all LEDs from 5 rows of 5 brightnesses."""
        with self._lock:
            self._leds = [list(row) for row in grid]
            self._publish(image=True)

    def blank(self) -> None:
        """Turn every LED dark."""
        self.show(blank_grid())

    def rows(self) -> Grid:
        """What the LEDs show now (all 0 while the display is off)."""
        if not self._on:
            return blank_grid()
        # 4-bit image pixels above 9 light an LED fully
        return [[min(v, MAX_BRIGHTNESS) for v in row] for row in self._leds]

    def _publish(self, at_once: bool = False, image: bool = False) -> None:
        """Tell the host what the LEDs show: now if this refresh period hasn't had a
        message (or ``at_once``; or a whole ``image`` among the first ``IMAGE_BURST``
        messages of a period, when the one before held nothing back), else at the next
        refresh."""
        period = self.clock.now_us() // TICK_US
        if at_once or period != self._sent_period or \
                (image and self._sent_in_period < IMAGE_BURST and self._held_period < period - 1):
            self._dirty = False
            rows = self.rows()
            if rows != self._published:
                self._published = rows
                if period != self._sent_period:
                    self._sent_period, self._sent_in_period = period, 0
                self._sent_in_period += 1
                self.changed(rows)
            return
        self._dirty = True
        self._held_period = period
        if self._flush_timer is None:
            self._flush_timer = self.clock.call_at((period + 1) * TICK_US, self._flush_due)

    def _flush_due(self) -> None:
        with self._lock:
            self._flush_timer = None
            self.flush()

    def flush(self) -> None:
        """Send a change still waiting for its refresh (the program ends, say)."""
        with self._lock:
            if self._dirty:
                self._publish(at_once=True)

    def snapshot(self) -> dict[str, Any]:
        """``display``: what the LEDs show now, 5 rows of 5 levels 0-9."""
        return {"display": [row[:] for row in self._published]}

    @property
    def is_on(self) -> bool:
        """Whether the display is on (it starts on)."""
        return self._on

    def turn_on(self) -> None:
        """Light the LEDs again (and resume a paused animation on V1)."""
        with self._lock:
            self._on = True
            self._publish(at_once=True)

    def turn_off(self) -> None:
        """Turn the LEDs off; what they hold is kept."""
        with self._lock:
            self._on = False
            self._publish(at_once=True)

    # -- animations ------------------------------------------------------------------------------
    @property
    def animating(self) -> bool:
        """Whether an animation (or V1's pending clear) is running."""
        return self._mode != _STOPPED

    def animate(self, source: FrameSource, delay_ms: int, clear: bool, wait: bool,
                loop: bool = False) -> None:
        """Run an animation: first frame now, then one frame every ``delay_ms`` (§5.1)."""
        with self._lock:
            self.stop()
            self.looping = loop
            self._serial += 1
            self._source, self._delay, self._clear = source, delay_ms % (1 << 32), clear
            self._mode = _ANIMATION
            self._count = 0
            self._idle.clear()
            try:
                self._draw(source())  # errors of the first frame reach the caller directly
            except BaseException:
                self.stop()
                raise
            if self.animating:
                self._start_ticks()
        if wait:
            self.wait()

    def clear_at_tick(self) -> None:
        """V1's ``clear()``: stop any animation and blank the LEDs on the next tick, waiting."""
        with self._lock:
            self.stop()
            self._serial += 1
            self._mode = _CLEAR
            self._count = self._delay - TICK_MS  # so that the very next tick is due
            self._idle.clear()
            self._start_ticks()
        self.wait()

    def stop(self) -> None:
        """Cancel any animation; the LEDs keep what they show."""
        with self._lock:
            self._mode = _STOPPED
            self._source = None
            self._delay, self._count, self._clear = IDLE_DELAY, 0, False
            if self._timer is not None:
                self._timer.cancel()
                self._timer = None
            self._idle.set()

    def wait(self) -> None:
        """Block until the current animation ends; an exception on the way stops it."""
        serial = self._serial
        try:
            while self.animating and self._serial == serial:
                self.raise_pending()
                if self.clock.virtual:
                    now = self.clock.now_us()
                    # to the next tick; the program itself can't run before the wait ends
                    self.clock.sleep_us((now // TICK_US + 1) * TICK_US - now,
                                        held_until=self._ends_not_before)
                else:
                    self._idle.wait(0.05)
                    self.clock.poll()  # checks the time limit
            self.raise_pending()
        except BaseException:
            if self._serial == serial:  # as the firmware: a pending exception ends the wait
                self.stop()
            raise

    def _ends_not_before(self) -> int:
        """The earliest instant the running animation can end (so a wait can return).

        It ends only on a frame tick (the end of its frames, a halt or an error), so not
        before the next frame's tick; when the source knows how many frames are left
        (``CountedFrames``), not before the tick after the last of them. Ticks skipped
        while a V1 display is off only make the end later.
        """
        timer = self._timer
        if not self.animating or timer is None or timer.cancelled:
            return 0
        ticks = max(1, -(-(self._delay - self._count) // TICK_MS))
        end = timer.due_us + (ticks - 1) * TICK_US
        if self._mode == _ANIMATION and isinstance(self._source, CountedFrames):
            end += self._source.left * max(1, -(-self._delay // TICK_MS)) * TICK_US
        return end

    def raise_pending(self) -> None:
        """Raise an error the animation met in the background (in real time: the ticker)."""
        error, self.pending = self.pending, None
        if error is not None:
            raise error

    def _start_ticks(self) -> None:
        if self._timer is None:
            now = self.clock.now_us()
            self._timer = self.clock.call_at((now // TICK_US + 1) * TICK_US, self._tick, TICK_US)

    def _tick(self) -> None:
        with self._lock:
            if self.pause_when_off and not self._on:
                return
            if not self.animating:
                self.stop()
                return
            self._count += TICK_MS
            if self._count < self._delay:
                return
            self._count = 0
            if self._mode == _CLEAR:
                self.blank()
                self.stop()
                return
            source = self._source
            assert source is not None
            try:
                item = source()
            except BaseException as exc:  # noqa: BLE001 - handed to the program, as the firmware does
                if self._clear:
                    self.blank()
                self.stop()
                self._deliver(exc)
                return
            self._draw(item)

    def _draw(self, item: Any) -> None:
        """One frame from the source: a grid, the end, a halt, or an error to raise."""
        if item is END:
            if self._clear:  # one more frame time with the display blank, then stop
                self.blank()
                self._clear = False
            else:
                self.stop()
        elif item is HALT:
            self.stop()
        elif isinstance(item, BaseException):
            self.stop()
            self._deliver(item)
        else:
            self.show(item)

    def _deliver(self, error: BaseException) -> None:
        # Virtual time runs timers in the program's thread: raise there (at its next call
        # into the board). The real-time ticker thread can't, so the next display call does.
        if threading.current_thread() is threading.main_thread():
            raise error
        self.pending = error


def of(board: Any) -> Display:
    """The board's display."""
    return board.part("display", lambda: Display(
        board.clock, board.publish, pause_when_off=board.spec.pause_display_when_off))
