"""The work a program has done, in the board's time: the meter its compiled code feeds.

User code is compiled with charges (``ubit.sim.micropython.costmodel``): at each loop
iteration and function entry it adds the nanoseconds the firmware would spend there to
the meter of the board it runs on. The board's clock reads the meter whenever the program
calls into the board (``Clock.poll``, ``Clock.sleep_us``) and moves virtual time on by
that much, or, in real time, waits until the wall clock has caught up with it. One meter
per clock: the clock made last is the one a program compiled now charges (one board per
process; tests making several boards compile for the one they run).

``UBIT_COST_MODEL=0`` in the environment switches the model off (for comparing speed and
for debugging): programs are compiled without charges and each call into the board costs
``clock.POLL_COST_US`` as before.
"""

from __future__ import annotations

import os

SPENT = 0  # meter[SPENT]: nanoseconds charged since the clock last read the meter
POLL = 1  # meter[POLL]: what one call into the board costs, in ns; 0 until a program is compiled


def new_meter() -> list[int]:
    """A fresh meter, made current: programs compiled from now on charge it."""
    global current
    meter = [0, 0]
    current = meter
    return meter


current: list[int] = [0, 0]  # the meter of the clock made last


def enabled() -> bool:
    """Whether programs are compiled with charges (``UBIT_COST_MODEL=0`` turns it off)."""
    return os.environ.get("UBIT_COST_MODEL", "1") not in ("0", "off", "no", "false")
