"""``ubit plot``: the numbers a board prints, plotted live in the terminal (or as CSV rows).

Which lines are data is ``ubit.device.series``'s business (the editor's plotter reads them by
the same rules). The chart is drawn in braille characters, two dots wide and four high a
character, a colour a series, and redrawn a few times a second in place.
"""

from __future__ import annotations

import argparse
import sys
from collections import deque
from collections.abc import Sequence
from typing import TYPE_CHECKING, TextIO

from ubit.cli.connect import add_board_options
from ubit.cli.parser import add_command
from ubit.errors import UbitError, UsageError
from ubit.hexfile.targets import BOARD_NAMES

if TYPE_CHECKING:
    from ubit.device.series import Recording

REDRAW_S = 0.2  # seconds between redraws of the chart
READ_S = 0.05  # longest wait for serial output before looking at the clock again
CSV_ROWS = 100_000  # lines of data kept for --csv (the oldest go first)
COLOURS = (33, 36, 35, 32, 34, 31, 93, 96, 95, 92, 94, 91, 37, 90, 97, 30)  # ANSI, a series each
BRAILLE = 0x2800
# the bit of each dot of a braille cell, by [row][column] within the cell
DOTS = ((0x01, 0x08), (0x02, 0x10), (0x04, 0x20), (0x40, 0x80))
HINT = "waiting for numbers: print((x, y)) or print('temp:', t) in the program"


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``ubit plot``."""
    parser = add_command(
        sub, "plot", "Plot the numbers a board prints, live in the terminal.",
        "  ubit plot main.py                    run it on a virtual micro:bit, plot its prints\n"
        "  ubit plot --sim main.py              the same\n"
        "  ubit plot                            the micro:bit found on USB\n"
        "  ubit plot --port /dev/ttyACM0        a board's serial port (ubit sim's, QEMU's pty)\n"
        "  ubit plot main.py --time 10 --csv data.csv   10 s, the numbers saved as CSV\n"
        "  ubit plot main.py --time 5 > data.csv        not a terminal: a CSV row a line\n"
        "\n"
        "lines of data (anything else is ignored):\n"
        "  (1, 2.5, -3)       a tuple, as Mu's plotter reads it: series y1, y2, y3\n"
        "  temp: 21           name: value pairs, as MakeCode's and Arduino's plotters read them\n"
        "  x: 1 y: 2          several on a line, apart by spaces, ',' or ';'\n"
        "Ctrl-C stops (the CSV is saved then too).\n",
    )
    parser.add_argument("program", nargs="?", metavar="PROGRAM",
                        help="a .py file (becomes main.py), a .hex or a folder to run on a "
                             "virtual micro:bit")
    add_board_options(parser)
    parser.add_argument("--board", choices=BOARD_NAMES, default="v2",
                        help="with PROGRAM: which virtual micro:bit (default v2)")
    parser.add_argument("--csv", metavar="FILE",
                        help="when it stops, save the numbers (as printed) in this CSV file")
    parser.add_argument("--time", type=float, metavar="SECONDS",
                        help="stop after this many seconds")
    parser.add_argument("--window", type=float, default=30.0, metavar="SECONDS",
                        help="the chart shows the last this many seconds (default 30)")
    parser.set_defaults(handler=run_plot)


def positive(value: float | None, option: str) -> None:
    """Refuse a ``--time``/``--window`` that isn't a positive number of seconds."""
    import math

    if value is not None and not (math.isfinite(value) and value > 0):
        raise UsageError(f"{option} {value:g}: give a positive number of seconds "
                         "(not 0, a negative number, inf or nan)")


class BoardSource:
    """A program running on a virtual micro:bit in real time: its serial output."""

    def __init__(self, program: str, board: str) -> None:
        """Start ``program`` on a ``board`` ("v1"/"v2")."""
        from pathlib import Path

        from ubit.cli.programs import load_program, warner
        from ubit.sim.host.start import BoardOptions, start_board

        options = BoardOptions(board=board, files=load_program(program, board), clock="real",
                               label=Path(program).name)
        self.board = start_board(options, warn=warner("plot"))
        self.ended = False

    def read(self, timeout: float) -> bytes:
        """Output that has arrived (waiting up to ``timeout``); ``ended`` once it stopped."""
        data = self.board.read_serial(timeout=timeout)
        if not data and not self.board.running:
            data = self.board.read_serial()
            self.ended = True
        return data

    def failure(self) -> str | None:
        """Why the program stopped, if it stopped with an error."""
        from ubit.sim.host.handle import BoardCrashed

        try:
            result = self.board.wait(timeout=5)
        except (BoardCrashed, TimeoutError) as exc:
            return f"the virtual board crashed: {exc}"
        if result.get("status") in ("error", "panic", "refused"):
            return str(result.get("error") or result.get("status"))
        return None

    def close(self) -> None:
        """Stop the board."""
        self.board.close()


class PortSource:
    """A board's serial port (a real micro:bit, ``ubit sim``'s or QEMU's pty)."""

    def __init__(self, args: argparse.Namespace) -> None:
        """Open the port ``args`` name (or the micro:bit found on USB)."""
        from ubit.cli.connect import open_transport

        self.transport = open_transport(args)
        self.ended = False

    def read(self, timeout: float) -> bytes:
        """Output that has arrived, waiting up to ``timeout``."""
        return self.transport.read(timeout)

    def failure(self) -> str | None:
        """A port doesn't end with an error of its program's."""
        return None

    def close(self) -> None:
        """Release the port."""
        self.transport.close()


def open_source(args: argparse.Namespace) -> BoardSource | PortSource:
    """Where the serial output comes from: PROGRAM on a virtual board, or a port."""
    if args.program:
        if args.port:
            raise UsageError("PROGRAM runs on a virtual micro:bit, --port reads a board: give "
                             "one (to plot a board's program, ubit flash it, then --port)")
        return BoardSource(args.program, args.board)
    if args.sim:
        raise UsageError("--sim needs a PROGRAM to run: ubit plot --sim main.py")
    return PortSource(args)


def run_plot(args: argparse.Namespace) -> int:
    """Plot until the program ends, ``--time`` runs out or Ctrl-C; 1 if the program failed."""
    import time

    from ubit.device.series import Lines, Recording, parse_line
    from ubit.errors import DeviceError

    positive(args.time, "--time")
    positive(args.window, "--window")
    if args.csv:
        from ubit.fileio import check_output_path

        check_output_path(args.csv)
    recording = Recording(max_rows=CSV_ROWS)
    view: Chart | Rows = Chart(recording, args.window, sys.stdout) if sys.stdout.isatty() \
        else Rows(recording, sys.stdout)
    source = open_source(args)
    lines = Lines()
    began = time.monotonic()
    deadline = began + args.time if args.time else None
    trouble: UbitError | None = None
    failure = None
    try:
        while not source.ended:
            now = time.monotonic()
            if deadline is not None and now >= deadline:
                break
            wait = READ_S if deadline is None else min(READ_S, deadline - now)
            try:
                data = source.read(wait)
            except DeviceError as exc:  # the port went away: keep what came, then say so
                trouble = exc
                break
            now = time.monotonic()
            for line in lines.feed(data):
                values = parse_line(line)
                row = recording.add(now, values) if values else None
                if row is not None:
                    view.row(row, values or [])
                elif line.strip():
                    view.other(line)
            view.tick(now)
        if source.ended:
            failure = source.failure()
    except KeyboardInterrupt:
        pass
    finally:
        try:
            view.finish(time.monotonic())
        finally:
            source.close()
    if args.csv:
        save_csv(args.csv, recording)
    if trouble is not None:
        raise trouble
    if failure:
        raise UbitError(f"the program stopped with an error: {view.last_other or failure}")
    return 0


def save_csv(path: str, recording: Recording) -> None:
    """Write the recording as CSV (all or nothing) and say where."""
    from ubit.fileio import atomic_write, shown

    atomic_write(path, recording.csv().encode())
    dropped = f" (the first {recording.dropped} were dropped: only the last " \
              f"{CSV_ROWS} are kept)" if recording.dropped else ""
    print(f"plot: {len(recording.rows)} lines of numbers saved in {shown(path)}{dropped}",
          file=sys.stderr)


class Rows:
    """Not a terminal: a CSV row a line of data, a header first and whenever a series joins."""

    def __init__(self, recording: Recording, out: TextIO) -> None:
        """Write to ``out``."""
        self.recording = recording
        self.out = out
        self.columns = 0
        self.last_other: str | None = None

    def row(self, row: tuple[float, dict[str, str]], values: Sequence[tuple[str, str]]) -> None:
        """One line of data."""
        if len(self.recording.columns) != self.columns:
            self.columns = len(self.recording.columns)
            self.out.write(self.recording.header() + "\n")
        self.out.write(self.recording.row_text(row) + "\n")

    def other(self, line: str) -> None:
        """A line that isn't data."""
        self.last_other = line.strip()

    def tick(self, now: float) -> None:
        """Time passes: what was written goes out."""
        self.out.flush()

    def finish(self, now: float) -> None:
        """The end."""
        self.out.flush()


class Chart:
    """The terminal: a braille chart of the last ``window`` seconds, redrawn in place."""

    def __init__(self, recording: Recording, window: float, out: TextIO) -> None:
        """Draw on ``out`` (a terminal)."""
        import os
        import time

        self.recording = recording
        self.window = window
        self.out = out
        self.colour = "NO_COLOR" not in os.environ
        self.points: deque[tuple[float, dict[str, float]]] = deque()
        self.latest: dict[str, str] = {}  # each series' last number, as printed
        self.last_other: str | None = None
        self.drawn = 0  # lines of the last drawing, to go back up over
        self.next_draw = time.monotonic()
        self.start: float | None = None  # the clock at the first line of data
        out.write("\x1b[?25l")  # no cursor blinking over the chart

    def row(self, row: tuple[float, dict[str, str]], values: Sequence[tuple[str, str]]) -> None:
        """One line of data."""
        from ubit.device.series import number

        time, texts = row
        self.latest.update(texts)
        self.points.append((time, {name: number(text) for name, text in texts.items()}))

    def other(self, line: str) -> None:
        """A line that isn't data: the last one is shown under the chart."""
        from ubit.errors import printable

        self.last_other = printable(line.strip())

    def tick(self, now: float) -> None:
        """Redraw if it's time."""
        if now >= self.next_draw:
            self.draw(now)
            self.next_draw = now + REDRAW_S

    def finish(self, now: float) -> None:
        """The last drawing stays on the screen; the cursor comes back."""
        self.draw(now)
        self.out.write("\x1b[?25h")
        self.out.flush()

    def draw(self, now: float) -> None:
        """The chart, over the last one."""
        import shutil

        columns, lines = shutil.get_terminal_size()
        if self.points and self.start is None:
            self.start = now - self.points[-1][0]
        elapsed = now - self.start if self.start is not None else 0.0
        while self.points and self.points[0][0] < elapsed - self.window:
            self.points.popleft()
        text = render(list(self.points), self.recording.columns, elapsed, self.window,
                      width=max(20, columns - 12), height=max(3, min(16, lines - 6)),
                      latest=self.latest, colour=self.colour)
        status = f"{len(self.recording.rows)} lines of numbers"
        if self.recording.ignored:
            status += f"; over {len(self.recording.ignored)} series left out"
        if self.last_other:
            status += f"; last other line: {self.last_other}"
        text.append(status[:columns - 1])
        up = f"\x1b[{self.drawn}F" if self.drawn else ""
        self.out.write(up + "".join(line + "\x1b[K\n" for line in text))
        self.out.flush()
        self.drawn = len(text)


def paint(text: str, code: int, colour: bool) -> str:
    """``text`` in ANSI colour ``code`` (when colour is wanted)."""
    return f"\x1b[{code}m{text}\x1b[0m" if colour else text


def label(value: float) -> str:
    """A y axis value in at most 9 characters."""
    text = f"{value:.6g}"
    return text if len(text) <= 9 else f"{value:.2e}"


def render(points: Sequence[tuple[float, dict[str, float]]], names: Sequence[str], now: float,
           window: float, width: int, height: int, latest: dict[str, str] | None = None,
           colour: bool = False) -> list[str]:
    """The chart's lines: ``points`` (time, values) of the last ``window`` s before ``now``.

    ``width`` × ``height`` characters of braille, the y axis' max and min on its left, the
    time under it, and a legend of each series' colour and last number (``latest``).
    """
    import math

    from ubit.errors import printable

    finite = [v for _, values in points for v in values.values() if math.isfinite(v)]
    if not finite:
        return [HINT]
    low, high = min(finite), max(finite)
    if low == high:
        low, high = low - 1, high + 1
    dots_x, dots_y = width * 2, height * 4
    start = max(0.0, now - window)
    span = max(window, now) - start

    def x_of(t: float) -> int:
        return min(dots_x - 1, max(0, int((t - start) / span * (dots_x - 1) + 0.5)))

    def y_of(v: float) -> int:
        return min(dots_y - 1, max(0, int((high - v) / (high - low) * (dots_y - 1) + 0.5)))

    cells = [[0] * width for _ in range(height)]
    owner = [[-1] * width for _ in range(height)]

    def dot(x: int, y: int, series: int) -> None:
        cells[y // 4][x // 2] |= DOTS[y % 4][x % 2]
        owner[y // 4][x // 2] = series

    for series, name in enumerate(names):
        previous: tuple[int, int] | None = None
        for t, values in points:
            v = values.get(name)
            if v is None:  # not on this line: the series' line goes on past it
                continue
            if not math.isfinite(v):
                previous = None  # a gap where it printed nan or inf
                continue
            x, y = x_of(t), y_of(v)
            if previous is None:
                dot(x, y, series)
            else:  # a line from the last point: a dot per column, filled up or down
                x0, y0 = previous
                steps = [(x, y0, y)] if x == x0 else [
                    (step, y0 + (y - y0) * (step - 1 - x0) / (x - x0),
                     y0 + (y - y0) * (step - x0) / (x - x0)) for step in range(x0 + 1, x + 1)]
                for step, ya, yb in steps:
                    for yy in range(round(min(ya, yb)), round(max(ya, yb)) + 1):
                        dot(step, yy, series)
            previous = (x, y)
    top, bottom = label(high), label(low)
    margin = max(len(top), len(bottom))
    out = []
    for row in range(height):
        axis = top if row == 0 else bottom if row == height - 1 else ""
        chars = []
        for column in range(width):
            char = chr(BRAILLE + cells[row][column]) if cells[row][column] else " "
            series = owner[row][column]
            chars.append(paint(char, COLOURS[series % len(COLOURS)], colour)
                         if series >= 0 else char)
        out.append(f"{axis:>{margin}} {'┤' if axis else '│'}" + "".join(chars))
    left = f"{start:.0f} s"
    right = f"{max(window, now):.0f} s"
    out.append(" " * margin + " └" + "─" * width)
    out.append(" " * (margin + 2) + left + " " * max(1, width - len(left) - len(right)) + right)
    legend = []
    for series, name in enumerate(names):
        shown = (latest or {}).get(name, "")
        legend.append(paint("■", COLOURS[series % len(COLOURS)], colour)
                      + f" {printable(name)} {shown}")
    out.append("  ".join(legend))
    return out

