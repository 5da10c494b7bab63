"""``log`` (V2 data logging, reference §23): rows of labelled values kept by the board as CSV.

The rules are CODAL's ``MicroBitLog`` (v0.2.43, the one v2.1.2 is built on):
labels become columns in order of first use; whenever the columns change, the
new heading line is written into the log before the next row; rows whose
values are all empty are not written; a timestamp column, when enabled, goes
first if no data was logged yet, else last; timestamps are the board clock
rounded down to hundredths of the unit (``12.34``) or whole milliseconds.
Commas, tabs and newlines inside labels and values become ``_``. The log
holds 118,780 bytes of CSV (the figure the official simulator measured).

The board keeps the log (it lives in flash, across ``reset()``) and publishes
``log`` changes: ``{"lines": [new CSV lines], "erased": bool, "full": bool}``;
``ubit.sim.host.logcsv.LogRecorder`` turns them back into the CSV a host exports.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ubit.sim.board.board import Board
from ubit.sim.board.parts.base import Part, Publish
from ubit.sim.micropython.api.files import ENOSPC, os_error
from ubit.sim.micropython.boundary import api
from ubit.sim.micropython.mpfloat import format_float

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


def data_log(board: Board) -> DataLog:
    """The device's data log (made on first use)."""
    return board.part("log", lambda: DataLog(board.clock.now_ms, board.serial.write,
                                              board.publish))


def _text(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, bytes):
        return value.decode("utf-8", "surrogateescape")
    kind = type(value).__name__
    raise TypeError(f"can't convert '{kind}' object to str implicitly")


def create(board: Board) -> dict[str, Any]:
    """The names of ``log`` on ``device`` (importing it sets timestamps to SECONDS)."""
    spec = board.spec
    log = data_log(board)
    log.set_timestamp(SECONDS)  # the module's __init__ on import

    def value_text(value: Any) -> str:
        if isinstance(value, float):
            return format_float(value, spec.float_digits)
        if isinstance(value, int) and not isinstance(value, bool):
            return str(value)
        return _text(value)

    def check(ok: bool) -> None:
        if not ok:
            raise os_error(spec, ENOSPC)

    def set_labels(*labels: Any, **kwargs: Any) -> None:
        """Name the columns (a heading line); ``timestamp=`` a unit or None (keyword only)."""
        board.clock.poll()
        unit = kwargs.pop("timestamp", SECONDS)
        if kwargs:
            raise TypeError("extra keyword arguments given")
        if unit is None:
            log.set_timestamp(NONE)
        elif isinstance(unit, int):
            log.set_timestamp(int(unit))
        else:
            raise TypeError(f"can't convert {type(unit).__name__} to int")
        if labels:
            check(log.add_row([(_text(label), "") for label in labels]))

    def add(*args: Any, **kwargs: Any) -> None:
        """Log a row from a dict or keyword arguments (new labels add columns)."""
        board.clock.poll()
        if len(args) > 1:
            raise ValueError("too many arguments")
        if args and not isinstance(args[0], dict):
            raise ValueError("expecting a dict")
        row = args[0] if args else kwargs  # with a dict, keyword arguments are ignored
        check(log.add_row([(_text(k), value_text(v)) for k, v in row.items()]))

    def delete(*args: Any, **kwargs: Any) -> None:
        """Erase the log (``full=True`` erases every page; the result is the same)."""
        board.clock.poll()
        if len(args) > 1:
            raise TypeError("extra positional arguments given")
        if set(kwargs) - {"full"} or (args and kwargs):
            raise TypeError("extra keyword arguments given")
        log.erase()

    def set_mirroring(serial: Any) -> None:
        """Also print every logged line on the serial port."""
        log.mirroring = bool(serial)

    functions = (set_labels, add, delete, set_mirroring)
    for fn in functions:  # argument errors then name the function as MicroPython would
        fn.__qualname__ = fn.__name__
    names: dict[str, Any] = {fn.__name__: api(fn) for fn in functions}
    names.update(MILLISECONDS=MILLISECONDS, SECONDS=SECONDS, MINUTES=MINUTES, HOURS=HOURS,
                 DAYS=DAYS)
    return names
