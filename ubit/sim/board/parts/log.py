"""The V2 data log: rows of labelled values kept by the board as CSV (reference §23).

The rules are CODAL's ``MicroBitLog`` (v0.2.43, the one v2.1.2 is built on):
labels become columns in order of first use; whenever the columns change, the
new heading line is written into the log before the next row; rows whose
values are all empty are not written; a timestamp column, when enabled, goes
first if no data was logged yet, else last; timestamps are the board clock
rounded down to hundredths of the unit (``12.34``) or whole milliseconds.
Commas, tabs and newlines inside labels and values become ``_``. The log
holds 118,780 bytes of CSV (the figure the official simulator measured).

The log lives in flash, so it survives ``reset()``. Published: ``log`` →
``{"lines": [new CSV lines], "erased": bool, "full": bool}`` (``erased``: forget the
lines had so far first); ``ubit.sim.host.logcsv.LogRecorder`` rebuilds the CSV.
The ``log`` module (``ubit.sim.micropython.modules.log``) is the API over it.
"""

from __future__ import annotations

from collections.abc import Callable

from ubit.sim.board.parts.base import Part, Publish
from ubit.sim.shared.protocol import PartSpec
from ubit.sim.shared.typenames import Any

CAPACITY = 118_780  # bytes of CSV (official simulator, measured from CODAL)
NONE, MILLISECONDS, SECONDS, MINUTES, HOURS, DAYS = 0, 1, 10, 600, 36000, 864000
UNITS = {MILLISECONDS: "milliseconds", SECONDS: "seconds", MINUTES: "minutes",
         HOURS: "hours", DAYS: "days"}
_INVALID = "_"  # CONFIG_MICROBIT_LOG_INVALID_CHAR_VALUE


def _clean(text: str, separators: bool = True) -> str:
    """A label or value as stored: "-->" (and commas, tabs, newlines) replaced by ``_``."""
    text = text.replace("-->", _INVALID * 3).replace("\t", _INVALID)
    return text.replace(",", _INVALID).replace("\n", _INVALID) if separators else text


def timestamp(now_ms: int, unit: int) -> str:
    """The timestamp column's value: whole ms, or hundredths of the unit rounded down."""
    if unit == MILLISECONDS:
        return str(now_ms)
    hundredths = now_ms // unit  # the unit codes count tenths of a second, so this is 1/100
    return f"{hundredths // 100}.{hundredths % 100:02d}"


class DataLog(Part):
    """The board's data log: columns, the CSV written so far, mirroring and the full flag."""

    part_id = "log"
    survives_reset = True  # it is in flash

    def __init__(self, clock_ms: Callable[[], int], serial_write: Callable[[bytes], None],
                 publish: Publish | None = None, capacity: int = CAPACITY) -> None:
        super().__init__(publish)
        self.clock_ms = clock_ms
        self.serial_write = serial_write
        self.capacity = capacity
        self.mirroring = False
        self.unit = NONE
        self._reset()

    def _reset(self) -> None:
        self.labels: list[str] = []
        self.values: list[str] = []
        self.lines: list[str] = []  # the CSV in flash, one line each (without "\n")
        self.size = 0  # bytes of CSV, counting each line's "\n"
        self.full = False
        self.headings_changed = False
        self.unit_changed = False

    def snapshot(self) -> dict[str, Any]:
        """``log``: every line so far (``erased``: in place of any a host had)."""
        return {"log": {"lines": list(self.lines), "erased": True, "full": self.full}}

    # -- CODAL's operations ------------------------------------------------------------------
    def set_timestamp(self, unit: int) -> None:
        """Choose the timestamp unit (NONE for no timestamp column)."""
        if unit == self.unit == NONE:
            return
        heading = self.heading(unit)
        if self.size == 0 and self.labels:
            if self.labels[0] == heading:
                return
            if self.unit != NONE:  # before any data the old timestamp column is replaced
                del self.labels[0], self.values[0]
        self.unit = unit
        self.unit_changed = True

    @staticmethod
    def heading(unit: int) -> str:
        """The timestamp column's label."""
        return f"Time ({UNITS.get(unit, '')})"

    def add_row(self, pairs: list[tuple[str, str]]) -> bool:
        """Log one row of (label, value) pairs; False when the log is full."""
        self.values = [""] * len(self.labels)
        for key, value in pairs:
            self._set(key, value)
        if self.unit_changed:
            self.unit_changed = False
            if self.unit != NONE:
                self._add_label(self.heading(self.unit), "", first=self.size == 0)
        if self.unit != NONE and any(self.values):
            self._set(self.heading(self.unit), timestamp(self.clock_ms(), self.unit))
        new: list[str] = []
        was_full = self.full
        if self.headings_changed:
            self.headings_changed = False
            self._write(",".join(self.labels), new)
        if any(self.values):
            self._write(",".join(self.values), new)
        if new or self.full != was_full:
            self.changed({"lines": new, "erased": False, "full": self.full})
        return not self.full

    def erase(self) -> None:
        """Delete the log and its labels (mirroring and the timestamp unit stay)."""
        self._reset()
        unit, self.unit = self.unit, NONE
        if unit != NONE:
            self.set_timestamp(unit)
        self.changed({"lines": [], "erased": True, "full": False})

    # -- helpers -----------------------------------------------------------------------------
    def _set(self, key: str, value: str) -> None:
        key = _clean(key) or key
        value = _clean(value) or value
        if key in self.labels:
            self.values[self.labels.index(key)] = value
        else:
            self._add_label(key, value, first=False)

    def _add_label(self, key: str, value: str, first: bool) -> None:
        if key in self.labels:
            return
        at = 0 if first else len(self.labels)
        self.labels.insert(at, key)
        self.values.insert(at, value)
        self.headings_changed = True

    def _write(self, line: str, new: list[str]) -> None:
        """Append a CSV line if it fits (else the log is full from now on)."""
        data = _clean(line, separators=False)
        size = len(data.encode("utf-8", "surrogateescape")) + 1
        if size > self.capacity - self.size:
            self.full = True
            return
        if self.mirroring:
            self.serial_write(data.encode("utf-8", "surrogateescape") + b"\r\n")
        self.lines.append(data)
        self.size += size
        new.append(data)


PART = PartSpec("log", "Data log", state=("log",))


def of(board: Any) -> DataLog:
    """The board's data log (mirrored lines go to its serial port)."""
    return board.part(PART.id, lambda: DataLog(board.clock.now_ms,
                                               lambda data: board.serial.write(data),
                                               board.publish))
