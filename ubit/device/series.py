"""The numbers a board prints, read as plotters read them: the rules of ``ubit plot`` and the
editor's plotter (``frontend/src/plotter.ts`` follows them; ``tests/plot_series_cases.json``
holds the cases both sides are tested on).

A line is data when, stripped of the spaces around it, it is

* a tuple of numbers, as Mu's plotter reads them: ``(1, 2.5, -3)``, ``(7,)``; its values
  are the series ``y1``, ``y2``… by position, and every item must be a number;
* ``name: value`` pairs, as the MakeCode and Arduino plotters read them: ``temp: 21``,
  ``x: 1 y: 2``, ``x:1, y:2,`` (pairs apart by spaces, a comma or a semicolon); a name
  doesn't start with a digit, a sign or a dot, has no spaces, ``:``, ``,`` or ``;``, and
  comes once a line.

A number is written as Python prints one: ``-3``, ``2.5``, ``1e-05``, ``+.5``, and ``inf``,
``-inf``, ``nan`` (recorded as printed; a plot leaves a gap there). Anything else is not
data (``hello``, a traceback, ``x: 12abc``, ``(1, 'a')``), nor is a line longer than
``MAX_LINE`` characters or of more than ``MAX_VALUES`` numbers.
"""

from __future__ import annotations

import re
from collections import deque

MAX_LINE = 1024  # characters in a line of data; a longer line is skipped whole
MAX_VALUES = 16  # numbers in one line
MAX_SERIES = 16  # series in one recording: later names are left out (and counted)
MAX_ROWS = 20_000  # lines of data a recording keeps: the oldest go first

NUMBER = r"[+-]?(?:(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?|inf|nan)"
_NUMBER = re.compile(NUMBER)
_NAME = r"[^ \t\x00-\x1f\x7f:,;()0-9+\-.][^ \t\x00-\x1f\x7f:,;]{0,31}"
_PAIR = re.compile(rf"({_NAME})[ \t]*:[ \t]*({NUMBER})")
_SEPARATOR = re.compile(r"[ \t]*[,;][ \t]*|[ \t]+")

Values = list[tuple[str, str]]  # (series name, the number as printed), in the line's order


def parse_line(line: str) -> Values | None:
    """The numbers of one printed line as (series, text) pairs, or None if it isn't data."""
    line = line.strip(" \t\r\n")
    if not line or len(line) > MAX_LINE:
        return None
    if line.startswith("(") and line.endswith(")"):
        return _tuple(line[1:-1])
    return _pairs(line)


def _tuple(inside: str) -> Values | None:
    items = [item.strip(" \t") for item in inside.split(",")]
    if len(items) > 1 and items[-1] == "":  # (7,): Python's one-item tuple
        items.pop()
    if len(items) > MAX_VALUES or not all(_NUMBER.fullmatch(item) for item in items):
        return None
    return [(f"y{index}", item) for index, item in enumerate(items, 1)]


def _pairs(line: str) -> Values | None:
    values: Values = []
    at = 0
    while True:
        found = _PAIR.match(line, at)
        if found is None:
            return None
        values.append((found.group(1), found.group(2)))
        at = found.end()
        if at == len(line):
            break
        gap = _SEPARATOR.match(line, at)
        if gap is None:
            return None
        at = gap.end()
        if at == len(line):  # Arduino sketches often end a line of pairs with a comma
            break
    names = [name for name, _ in values]
    if len(values) > MAX_VALUES or len(set(names)) != len(names):
        return None
    return values


def number(text: str) -> float:
    """The value of a number as ``parse_line`` found it (``inf``/``nan`` included)."""
    return float(text)


class Lines:
    """Serial bytes in any pieces → whole lines of text (a line split across reads is joined).

    What waits for its end is bounded: a "line" over ``MAX_LINE`` bytes is dropped up to
    its newline, so a board printing without newlines can't grow the memory.
    """

    def __init__(self) -> None:
        """No bytes held yet."""
        self._held = b""
        self._skipping = False  # in a line too long to be data: drop to its end

    def feed(self, data: bytes) -> list[str]:
        """The lines that ``data`` completes, without their line endings."""
        parts = (self._held + data).split(b"\n")
        self._held = parts.pop()
        lines = []
        for part in parts:
            if self._skipping:
                self._skipping = False
            else:
                lines.append(part.decode("utf-8", "replace").rstrip("\r"))
        if len(self._held) > MAX_LINE:
            self._held, self._skipping = b"", True
        return lines


def csv_field(text: str) -> str:
    """``text`` as one CSV field (quoted when it holds a quote, comma or line break)."""
    if any(c in text for c in '",\r\n'):
        return '"' + text.replace('"', '""') + '"'
    return text


class Recording:
    """The lines of data seen, with their arrival times: the CSV, and what a plot draws.

    Times are seconds since the first line of data. At most ``max_rows`` lines are kept
    (the oldest dropped, counted in ``dropped``) and ``max_series`` series (values of later
    names are left out, their names counted in ``ignored``).
    """

    def __init__(self, max_rows: int = MAX_ROWS, max_series: int = MAX_SERIES) -> None:
        """An empty recording."""
        self.max_series = max_series
        self.columns: list[str] = []
        self.rows: deque[tuple[float, dict[str, str]]] = deque(maxlen=max_rows)
        self.dropped = 0
        self.ignored: set[str] = set()
        self._start: float | None = None

    def add(self, now: float, values: Values) -> tuple[float, dict[str, str]] | None:
        """Record one line's values arriving at ``now`` (any clock in seconds); the row kept."""
        kept: dict[str, str] = {}
        for name, text in values:
            if name not in self.columns:
                if len(self.columns) >= self.max_series:
                    self.ignored.add(name)
                    continue
                self.columns.append(name)
            kept[name] = text
        if not kept:
            return None
        if self._start is None:
            self._start = now
        if len(self.rows) == self.rows.maxlen:
            self.dropped += 1
        row = (now - self._start, kept)
        self.rows.append(row)
        return row

    def header(self) -> str:
        """The CSV's first line: ``time`` and the series in the order they came."""
        return ",".join(["time", *map(csv_field, self.columns)])

    def row_text(self, row: tuple[float, dict[str, str]]) -> str:
        """One CSV line: the time (ms precision) and each series' number as printed."""
        time, values = row
        return ",".join([f"{time:.3f}", *(values.get(name, "") for name in self.columns)])

    def csv(self) -> str:
        """The whole recording as CSV text (header, then a line per line of data)."""
        return "".join(line + "\n" for line in
                       [self.header(), *(self.row_text(row) for row in self.rows)])
