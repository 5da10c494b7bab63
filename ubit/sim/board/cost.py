"""The work a program has done, in the board's time: the meter its compiled code feeds.

User code is compiled with charges (``ubit.sim.micropython.costmodel``): at each loop
iteration and function entry it adds the nanoseconds the firmware would spend there to
the meter of the board it runs on. The board's clock reads the meter whenever the program
calls into the board (``Clock.poll``, ``Clock.sleep_us``) and moves virtual time on by
that much, or, in real time, waits until the wall clock has caught up with it. One meter
per clock: the clock made last is the one a program compiled now charges (one board per
process; tests making several boards compile for the one they run).

Where ``_costnative`` was built (``_costnative.c``, by pip/make), the meter is its
``Meter``, read and reset as a two-item list, and the charges compiled into user code
go through its ``Charger`` (``charger[ns]``: a C call, a third of a list charge's time);
elsewhere a list, charged as ``meter[0] = meter[0] + ns``. Both sum the same integers.
The C charger also charges a ``for`` loop from its iterator (``charger.steps``) and a
function's entry from its stack check (``charger.gate``), the same sums again.

``UBIT_COST_MODEL=0`` in the environment switches the model off (for comparing speed and
for debugging): programs are compiled without charges and each call into the board costs
``clock.POLL_COST_US`` as before.
"""

from __future__ import annotations

import os

from ubit.sim.shared.typenames import Any

try:  # built from _costnative.c by pip/make
    from ubit.sim.board import _costnative
except ImportError:  # no C compiler where this was installed: the list and Python's charges
    _costnative = None  # type: ignore[assignment]

SPENT = 0  # meter[SPENT]: nanoseconds charged since the clock last read the meter
POLL = 1  # meter[POLL]: what one call into the board costs, in ns; 0 until a program is compiled


def new_meter() -> Any:
    """A fresh meter, made current: programs compiled from now on charge it.

    ``meter[SPENT]`` and ``meter[POLL]`` read and set as a list's items, whichever it is.
    """
    global current
    meter = [0, 0] if _costnative is None else _costnative.Meter()
    current = meter
    return meter


def charger(meter: Any) -> Any:
    """What compiled code charges ``meter`` through (``charger[ns]``), or None where it
    is a list (charged as ``meter[SPENT] = meter[SPENT] + ns``)."""
    return None if type(meter) is list else meter.charger()


current: Any = [0, 0] if _costnative is None else _costnative.Meter()  # the last clock's


def enabled() -> bool:
    """Whether programs are compiled with charges (``UBIT_COST_MODEL=0`` turns it off)."""
    return os.environ.get("UBIT_COST_MODEL", "1") not in ("0", "off", "no", "false")
