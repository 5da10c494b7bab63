"""The one clock of a virtual board: every sleep, tick, animation and scripted input.

Two modes share one interface:

* **virtual** (tests, headless runs): time moves only when the program sleeps or
  calls into the board (each call costs ``POLL_COST_US``), and jumps straight to
  the end of a sleep; timers (display frames, ``run_every``, scripted inputs) run
  in the program's own thread at their exact instants. Same program, same
  script → same output, at any machine speed.
* **real** (a person watching): time is the wall clock since boot; a ticker
  thread runs timers as they fall due, like the firmware's interrupts.

With the cost model (``cost``: compiled user code charges what its loops and calls
would take on the board) both modes charge computation too: virtual time moves on by the
work done when the program next calls into the board, and in real time the program waits
whenever it has got ahead of the board's speed, so it never runs faster than the device.
"""

from __future__ import annotations

import heapq
import itertools
import math
import threading
import time
from collections.abc import Callable

from ubit.sim.board import cost

# What one call into the board costs in virtual time, so that a loop polling
# running_time() or a button still moves forward (deterministically).
POLL_COST_US = 50
# Real time: a program that calls into the board this many times without sleeping is
# polling (``while not button_a.is_pressed(): pass``); from then on each call takes
# POLL_COST_US of wall time, as calls take time on the device, so ten boards polling
# their radios share the computer's cores instead of each burning one.
BUSY_POLLS = 200
TICK_US = 6000  # the firmware's display/ticker period (reference §5.1: 6 ms)
# Real time with the cost model: the program waits once it is this far ahead of the board
# (shorter waits cost more in system calls than they keep in step).
PACE_AHEAD_S = 0.002
# ... and waits at most this long at once: work done between two calls into the board
# beyond it is forgiven (it ran faster than the device, unseen, as it called nothing).
PACE_DEBT_S = 0.1


class TimeUp(BaseException):
    """The run's time limit was reached (raised in the program's thread)."""


class Timer:
    """A callback due at an instant; ``cancel()`` stops it from running."""

    __slots__ = ("due_us", "callback", "period_us", "cancelled", "in_program", "rank")

    def __init__(self, due_us: int, callback: Callable[[], None], period_us: int = 0,
                 in_program: bool = False, rank: int = 0) -> None:
        self.due_us = due_us
        self.callback = callback
        self.period_us = period_us
        self.cancelled = False
        self.in_program = in_program  # runs in the program's thread (user callbacks)
        self.rank = rank  # among timers due at one instant, lower ranks run first

    def cancel(self) -> None:
        """Don't run this timer (again)."""
        self.cancelled = True


class Clock:
    """Microseconds since boot, and the timers due at later instants."""

    def __init__(self, virtual: bool, limit_ms: float | None = None) -> None:
        self.virtual = virtual
        self.limit_us = None if limit_ms is None else int(limit_ms * 1000)
        self._now = 0
        self._start = time.monotonic_ns()
        self._timers: list[tuple[int, int, int, Timer]] = []  # (due, rank, seq, timer)
        self._seq = itertools.count()
        self._lock = threading.RLock()
        self._wake = threading.Condition(self._lock)
        self._ticker: threading.Thread | None = None
        self._stopped = False
        self.last_advance = time.monotonic()  # wall time of the last virtual step
        self.on_advance: list[Callable[[], None]] = []  # run on every virtual step
        self._for_program: list[Callable[[], None]] = []  # real time: due user callbacks
        self._polls = 0  # real time: calls into the board since the program last slept
        # The cost model's meter (``cost``): what the program's code has charged, in ns.
        self.meter = cost.new_meter()
        self._carry_ns = 0  # charged but less than a microsecond: counted next time
        self._paced_to = 0.0  # real time: the wall instant the board's work would reach
        # Virtual time shared with other boards (a multi-board run): time may pass
        # ``horizon`` only after ``gate(now, next_instant)`` returned a later one.
        self.gate: Callable[[int, int], int] | None = None
        self.horizon = 0
        # While waiting at the horizon: the earliest instant the program's own code can
        # run again (the end of the sleep or call it is in, or a user callback's timer).
        # Only the program sends radio packets, so the others may run until just before
        # this instant's packets could reach them (``docs/board-protocol.md``).
        self.program_at = 0

    # -- reading ---------------------------------------------------------------------------
    def now_us(self) -> int:
        """Microseconds since boot."""
        if self.virtual:
            return self._now
        return (time.monotonic_ns() - self._start) // 1000

    def now_ms(self) -> int:
        """Milliseconds since boot."""
        return self.now_us() // 1000

    # -- timers ----------------------------------------------------------------------------
    def call_at(self, due_us: int, callback: Callable[[], None], period_us: int = 0,
                in_program: bool = False, rank: int = 0) -> Timer:
        """Run ``callback`` at ``due_us`` (and every ``period_us`` after, if given).

        ``in_program``: the callback runs user code, so it must run in the program's
        thread (as the firmware runs ``run_every`` callbacks in the main program): in
        real time the ticker hands it over, and the program runs it at its next sleep
        or call into the board. ``rank``: among timers due at the same instant, lower
        ranks run first (radio arrivals run last, whenever their packet became known).
        """
        timer = Timer(int(due_us), callback, int(period_us), in_program, rank)
        with self._lock:
            heapq.heappush(self._timers, (timer.due_us, rank, next(self._seq), timer))
            self._wake.notify()
        return timer

    def call_all(self, calls: list[tuple[int, Callable[[], None]]], rank: int = 0) -> None:
        """``call_at`` for each (instant, callback), in order, under one lock."""
        with self._lock:
            for due_us, callback in calls:
                timer = Timer(int(due_us), callback, 0, False, rank)
                heapq.heappush(self._timers, (timer.due_us, rank, next(self._seq), timer))
            if calls:
                self._wake.notify()

    def call_later(self, delay_us: int, callback: Callable[[], None],
                   period_us: int = 0, in_program: bool = False) -> Timer:
        """Run ``callback`` ``delay_us`` from now (and periodically, if given)."""
        return self.call_at(self.now_us() + max(0, int(delay_us)), callback, period_us,
                            in_program)

    def _pop_due(self, until_us: int) -> Timer | None:
        timers = self._timers
        if not timers or timers[0][0] > until_us:
            return None  # nothing due (most calls into the board): no lock to take
        with self._lock:
            while self._timers and self._timers[0][0] <= until_us:
                _, _, _, timer = heapq.heappop(self._timers)
                if timer.cancelled:
                    continue
                if timer.period_us > 0:
                    timer.due_us += timer.period_us
                    heapq.heappush(self._timers,
                                   (timer.due_us, timer.rank, next(self._seq), timer))
                return timer
        return None

    def _run_due(self, until_us: int) -> None:
        """Run every timer due by ``until_us`` in order; virtual time steps to each."""
        while True:
            timer = self._pop_due(until_us)
            if timer is None:
                return
            if self.virtual:
                due = timer.due_us - timer.period_us if timer.period_us else timer.due_us
                self._now = max(self._now, due)
            elif timer.in_program and threading.current_thread() is not threading.main_thread():
                with self._lock:
                    self._for_program.append(timer.callback)
                continue
            timer.callback()

    # -- moving time -----------------------------------------------------------------------
    def sleep_us(self, duration_us: float, held_until: Callable[[], int] | None = None) -> None:
        """Let ``duration_us`` pass: at once in virtual time, for real otherwise.

        ``held_until``: this sleep is one step of a longer blocking call (a scroll, say)
        whose own code isn't the program's: the program can't run again before the
        instant it returns (a lower bound, read when the board reports when its program
        can next run), however this sleep ends. User callbacks due earlier still count.
        """
        duration_us = int(duration_us)
        if duration_us <= 0:
            self.poll()
            return
        if self.virtual:
            self._advance_to(self._now + self._worked_us() + duration_us, held_until)
        else:
            self._pace()
            self._polls = 0
            deadline = time.monotonic() + duration_us / 1e6
            self._check_limit()
            while True:
                self._run_for_program()
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                time.sleep(min(left, 0.005))  # short steps: user callbacks and the limit
                self._check_limit()
            self._paced_to = time.monotonic()  # the board was waiting too: no work to catch up

    def sleep_ms(self, duration_ms: float) -> None:
        """``sleep_us`` in milliseconds."""
        self.sleep_us(duration_ms * 1000)

    def poll(self) -> None:
        """A call into the board: costs a little virtual time, runs what fell due."""
        meter = self.meter
        if self.virtual:
            if meter[cost.POLL]:
                self._advance_to(self._now + self._worked_us())
            else:
                self._advance_to(self._now + POLL_COST_US)
        else:
            if meter[cost.POLL]:
                self._pace()
            else:
                self._polls += 1
                if self._polls > BUSY_POLLS:
                    time.sleep(POLL_COST_US / 1e6)
            self._run_for_program()
            self._check_limit()

    def _worked_us(self) -> int:
        """The board time the program's work took since last asked (and this call's cost).

        Whole microseconds; the rest is carried over, so the total never drifts.
        """
        meter = self.meter
        spent = self._carry_ns + meter[cost.SPENT] + meter[cost.POLL]
        meter[cost.SPENT] = 0
        worked, self._carry_ns = divmod(spent, 1000)
        return worked

    def _pace(self) -> None:
        """Real time: wait until the wall clock has caught up with the work done.

        A program slower than the board (or just back from a wait) gets no credit: it
        runs as fast as it can, but never faster than the device would.
        """
        meter = self.meter
        spent = meter[cost.SPENT] + meter[cost.POLL]
        meter[cost.SPENT] = 0
        now = time.monotonic()
        # at most PACE_DEBT_S behind: a computation that never called the board (a busy
        # loop, then Ctrl-C) must not leave the REPL waiting minutes for its debt
        self._paced_to = min(max(self._paced_to, now) + spent / 1e9, now + PACE_DEBT_S)
        if self._paced_to - now < PACE_AHEAD_S:
            return
        while True:  # short steps, as in sleep_us: user callbacks and the limit
            left = self._paced_to - time.monotonic()
            if left <= 0:
                return
            time.sleep(min(left, 0.005))
            self._run_for_program()
            self._check_limit()

    def _run_for_program(self) -> None:
        """Real time: run the user callbacks the ticker found due (program thread only)."""
        if not self._for_program:
            return
        with self._lock:
            due, self._for_program = self._for_program, []
        for callback in due:
            callback()

    def _advance_to(self, target_us: int, held_until: Callable[[], int] | None = None) -> None:
        limit = self.limit_us
        end = target_us if limit is None else min(target_us, limit)
        for hook in self.on_advance:
            hook()
        while self.gate is not None and end > self.horizon:
            self._wait_at_horizon(end, held_until)
        self._run_due(end)
        self._now = max(self._now, end)
        self.last_advance = time.monotonic()
        if limit is not None and target_us >= limit:
            raise TimeUp()

    def _wait_at_horizon(self, end: int, held_until: Callable[[], int] | None = None) -> None:
        """Run what falls due by the horizon, then wait until the gate moves it on."""
        horizon = self.horizon
        self._run_due(horizon)
        if self.horizon != horizon:
            return  # a user callback's own step moved the horizon on (past ``end``, maybe)
        self._now = max(self._now, horizon)
        # the sleep's end, or later if it is a step of a call the program is blocked in
        resume = end if held_until is None else max(end, held_until())
        with self._lock:
            next_due = self._timers[0][0] if self._timers else end
            self.program_at = min([resume] + [timer.due_us for _, _, _, timer in self._timers
                                           if timer.in_program and not timer.cancelled])
        assert self.gate is not None
        # held by the host (other boards, or a test stepping the board): not spinning, so
        # the watchdog mustn't count the wait against the time limit, however long it is
        self.last_advance = math.inf
        self.horizon = max(self.horizon, self.gate(self._now, min(end, next_due)))
        self.last_advance = time.monotonic()  # waiting for other boards is not spinning
        for hook in self.on_advance:
            hook()

    def _check_limit(self) -> None:
        if self.limit_us is not None and self.now_us() >= self.limit_us:
            raise TimeUp()

    # -- real-time ticker --------------------------------------------------------------------
    def start_ticker(self) -> None:
        """In real time, start the thread that runs timers as they fall due."""
        if self.virtual or self._ticker is not None:
            return
        self._ticker = threading.Thread(target=self._tick_loop, name="ticker", daemon=True)
        self._ticker.start()

    def _tick_loop(self) -> None:
        while not self._stopped:
            try:
                self._run_due(self.now_us())
            except Exception:  # a failing timer must not stop the others
                pass
            with self._lock:
                wait = 0.05
                if self._timers:
                    wait = min(wait, max(0.0, (self._timers[0][0] - self.now_us()) / 1e6))
                self._wake.wait(wait)

    def cancel_all(self) -> None:
        """Forget every timer (a reset: animations and run_every stop)."""
        with self._lock:
            for _, _, _, timer in self._timers:
                timer.cancel()
            self._timers.clear()
            self._for_program.clear()

    def stop(self) -> None:
        """Stop the ticker and forget every timer."""
        with self._lock:
            self._stopped = True
            self._timers.clear()
            self._wake.notify_all()
