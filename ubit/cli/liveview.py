"""The live view's pure half: keys parsed from bytes, the serial pane, and one frame of text.

Nothing here touches the terminal or the board, so it is tested in-process:
``render(frame, width, height)`` turns the board's state (the vocabulary of
docs/sim-architecture.md) into exactly ``height`` lines, ANSI-coloured or plain.
"""

from __future__ import annotations

import codecs
import math
import re
import unicodedata
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

# 256-colour shades for LED levels 0-9: an unlit LED is a dark grey block, then red
# getting brighter and finally "white-hot", so all ten levels can be told apart.
LED_COLOURS = (236, 52, 88, 124, 160, 196, 203, 210, 217, 224)
HIGHLIGHT = "1;30;42"  # a held button or touched pin: black on green
TYPING = "1;30;43"  # the serial-typing mode banner: black on yellow

PANEL_WIDTH = 34  # the board's column; the serial pane takes the rest
SIDE_BY_SIDE_MIN = 64  # narrower terminals stack the serial pane under the board

ENDED = "program ended (press q to quit)"
HELP_BOARD = ("a b: tap button", "A B: hold/release", "space: both", "l L: logo",
              "0 1 2: touch pin", ") ! @: hold pin", "arrows: tilt", "c: level",
              "s: shake", "u d: face up/down", "f: freefall", "r: reset", "t T: temp -/+",
              "j J: light -/+", "n N: sound -/+", "Tab: type to serial", "^C: interrupt",
              "q: quit")
HELP_SERIAL = ("keys go to the program's serial input", "Enter: send line",
               "Tab: back to board keys", "^C: interrupt")

Seg = tuple[str, str]  # (text, SGR parameters or "")
_CONTROLS = re.compile("[\x00-\x09\x0b-\x1f\x7f]")  # all but newline

# -- keys ----------------------------------------------------------------------------------
_ARROWS = {"A": "up", "B": "down", "C": "right", "D": "left"}
_CONTROL = {"\t": "tab", "\r": "enter", "\n": "enter", "\x7f": "backspace", "\x08": "backspace",
            "\x03": "ctrl-c", "\x1a": "ctrl-z"}


def parse_keys(data: bytes) -> tuple[list[str], bytes]:
    """Key names in ``data`` ('a', 'up', 'tab', 'ctrl-c', ...) and an unfinished escape tail."""
    text = data.decode("utf-8", "replace")
    keys: list[str] = []
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == "\x1b":
            if i + 1 == len(text):
                return keys, text[i:].encode()  # maybe the start of an arrow: wait for more
            if text[i + 1] in "[O":
                end = i + 2
                while end < len(text) and not ("@" <= text[end] <= "~"):
                    end += 1
                if end == len(text):
                    return keys, text[i:].encode()
                keys.append(_ARROWS.get(text[end], "unknown") if end == i + 2 else "unknown")
                i = end + 1
                continue
            keys.append("esc")
        else:
            keys.append(_CONTROL.get(ch, ch))
        i += 1
    return keys, b""


# -- the serial pane -------------------------------------------------------------------------
def char_width(ch: str) -> int:
    """Columns a character takes in a terminal (wide East Asian and emoji take two)."""
    return 2 if unicodedata.east_asian_width(ch) in "WF" else 1


class SerialLog:
    """Serial output as a terminal would show it: CR, backspace, no escape sequences."""

    def __init__(self, max_lines: int = 2000) -> None:
        self.lines: deque[str] = deque(maxlen=max_lines)
        self.current: list[str] = []
        self.col = 0
        self._escape = ""  # "" | "esc" | "csi": skipping an ANSI sequence from the program
        self._decoder = codecs.getincrementaldecoder("utf-8")("replace")

    def feed(self, data: bytes) -> None:
        """Take more output from the board."""
        text = self._decoder.decode(data)
        plain = text.replace("\r\n", "\n")
        if not self._escape and not _CONTROLS.search(plain):
            # The common case, whole printed lines: no per-character work for a flood.
            first, *rest = plain.split("\n")
            self._put(first)
            if rest:
                self.lines.append("".join(self.current))
                self.lines.extend(rest[:-1])
                self.current, self.col = list(rest[-1]), len(rest[-1])
            return
        for ch in text:
            if self._escape:
                if self._escape == "esc" and ch == "[":
                    self._escape = "csi"
                elif self._escape == "esc" or "@" <= ch <= "~":
                    self._escape = ""
            elif ch == "\x1b":
                self._escape = "esc"
            elif ch == "\n":
                self.lines.append("".join(self.current))
                self.current, self.col = [], 0
            elif ch == "\r":
                self.col = 0  # the next characters overwrite the line, as on a terminal
            elif ch == "\x08":
                self.col = max(0, self.col - 1)
            elif ch == "\t":
                self._put(" " * (8 - self.col % 8))
            elif ch >= " " and ch != "\x7f":
                self._put(ch)

    def _put(self, text: str) -> None:
        for ch in text:
            if self.col < len(self.current):
                self.current[self.col] = ch
            else:
                self.current.append(ch)
            self.col += 1

    def tail(self, rows: int, width: int) -> list[str]:
        """The last ``rows`` screen rows of output, long lines wrapped at ``width``."""
        out: list[str] = []
        lines = list(self.lines)
        if self.current:
            lines.append("".join(self.current).rstrip(" ") or " ")
        for line in reversed(lines):
            out[:0] = wrap(line, width)
            if len(out) >= rows:
                break
        return out[-rows:] if rows > 0 else []


def wrap(line: str, width: int) -> list[str]:
    """``line`` cut into pieces at most ``width`` columns wide (at least one piece)."""
    pieces, piece, used = [], "", 0
    for ch in line:
        w = char_width(ch)
        if used + w > width and piece:
            pieces.append(piece)
            piece, used = "", 0
        piece += ch
        used += w
    pieces.append(piece)
    return pieces


# -- reading the state -------------------------------------------------------------------------
def display_rows(state: Mapping[str, Any]) -> list[list[int]]:
    """The 5×5 LED levels 0-9 from the ``display`` state (all off when absent or malformed)."""
    rows = state.get("display")
    grid = [[0] * 5 for _ in range(5)]
    if isinstance(rows, list):
        for y, row in enumerate(rows[:5]):
            for x, level in enumerate(row[:5] if isinstance(row, list) else []):
                if isinstance(level, int | float):
                    grid[y][x] = max(0, min(9, int(level)))
    return grid


def touched(value: Any) -> bool:
    """Whether a pin state (``{"touched": ...}`` or a plain bool) says it is touched."""
    return bool(value.get("touched")) if isinstance(value, dict) else bool(value)


def sensor(state: Mapping[str, Any], part: str) -> float:
    """A numeric state's value (0 if the board has none, or it isn't a number)."""
    value = state.get(part)
    return value if isinstance(value, int | float) and math.isfinite(value) else 0


def accelerometer(state: Mapping[str, Any]) -> tuple[int, int, int]:
    """(x, y, z) in milli-g from the accelerometer's state."""
    return tuple(int(sensor(state, f"accelerometer_{axis}"))  # type: ignore[return-value]
                 for axis in "xyz")


# -- drawing ----------------------------------------------------------------------------------
@dataclass
class Frame:
    """Everything one picture of the live view shows."""

    state: Mapping[str, Any]
    serial: SerialLog
    board: str = ""  # its label ("V2"), from its description
    inputs: frozenset[str] = frozenset()  # the inputs it has (a logo? a microphone?)
    title: str = ""
    typing: bool = False  # keys go to the serial port instead of the board
    ended: str | None = None  # extra detail once the program has ended ("" for none)
    colour: bool = True
    latched: set[str] = field(default_factory=set)  # parts held down until pressed again
    fleet: list[tuple[str, Mapping[str, Any]]] = field(default_factory=list)  # every board
    focus: int = 0  # which of ``fleet`` the keys and the big view are for


def paint(segs: list[Seg], colour: bool) -> str:
    """Segments as one string, with SGR escapes when ``colour``."""
    if not colour:
        return "".join(text for text, _ in segs)
    return "".join(f"\x1b[{sgr}m{text}\x1b[0m" if sgr else text for text, sgr in segs)


def _fmt(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"


def _flag(label: str, on: bool, latched: bool = False) -> list[Seg]:
    word = "HELD" if latched and on else ("down" if on else "--")
    return [(f"{label} ", ""), (word, HIGHLIGHT if on else "")]


def board_panel(frame: Frame) -> list[list[Seg]]:
    """The board's column: LEDs, buttons, logo, pins and sensors."""
    state = frame.state
    lines: list[list[Seg]] = [[(f" micro:bit {frame.board}", "1"),
                               (f"  {frame.title}", "")], []]
    lines.append([("   ┌" + "─" * 16 + "┐", "")])
    for row in display_rows(state):
        segs: list[Seg] = [("   │ ", "")]
        for level in row:
            if frame.colour:
                segs += [("██", f"38;5;{LED_COLOURS[level]}"), (" ", "")]
            else:
                segs.append((f"{level if level else '·'}  ", ""))
        lines.append(segs + [("│", "")])
    lines.append([("   └" + "─" * 16 + "┘", "")])
    latched = frame.latched
    buttons: list[Seg] = [(" ", "")]
    buttons += _flag("A", bool(state.get("button_a")), "button_a" in latched) + [("  ", "")]
    buttons += _flag("B", bool(state.get("button_b")), "button_b" in latched)
    if "pin_logo" in frame.inputs:
        buttons += [("  ", "")] + _flag("logo", touched(state.get("pin_logo")),
                                       "pin_logo" in latched)
    lines += [buttons, [(" pins", "")]]
    for pin in ("pin0", "pin1", "pin2"):
        lines[-1] += [(" ", "")] + _flag(pin[3:], touched(state.get(pin)), pin in latched)
    x, y, z = accelerometer(state)
    lines.append([(f" tilt x {x} y {y} z {z} mg", "")])
    value = {part: _fmt(sensor(state, part))
             for part in ("temperature", "light", "sound")}
    sensors = f" temp {value['temperature']}°C  light {value['light']}"
    if "sound" in frame.inputs:
        sensors += f"  sound {value['sound']}"
    lines.append([(sensors, "")])
    gesture = state.get("gesture")
    shown = isinstance(gesture, str) and gesture not in ("", "none")
    lines.append([(f" gesture {gesture}" if shown else "", "")])
    radio = state.get("radio")
    if isinstance(radio, Mapping):  # shown once the program has imported radio
        if radio.get("on"):
            lines.append([(f" radio ch {radio.get('channel')} grp {radio.get('group')} "
                           f"tx {radio.get('sent', 0)} rx {radio.get('received', 0)}", "")])
        else:
            lines.append([(" radio off", "")])
    return lines


FLEET_CELL = 13  # columns for one board in the strip of all boards
FLEET_SHADES = "·123456789"  # LED levels 0-9 in one column, without colour (as the big view)


def fleet_strip(frame: Frame, width: int) -> list[list[Seg]]:
    """Every board of a multi-board run, small: its name and its 5×5 LEDs."""
    per_row = max(1, width // FLEET_CELL)
    lines: list[list[Seg]] = []
    for first in range(0, len(frame.fleet), per_row):
        group = list(enumerate(frame.fleet))[first:first + per_row]
        names: list[Seg] = []
        for index, (label, _) in group:
            marked = index == frame.focus
            names.append((f"{'>' if marked else ' '}{label[:FLEET_CELL - 2]}"
                          .ljust(FLEET_CELL), "1" if marked else ""))
        lines.append(names)
        grids = [display_rows(state) for _, (_, state) in group]
        for row in range(5):
            segs: list[Seg] = []
            for grid in grids:
                segs.append((" ", ""))
                for level in grid[row]:
                    if frame.colour:
                        segs.append(("█", f"38;5;{LED_COLOURS[level]}"))
                    else:
                        segs.append((FLEET_SHADES[level], ""))
                segs.append((" " * (FLEET_CELL - 6), ""))
            lines.append(segs)
    return lines + [[("─" * width, "2")]]


def help_lines(items: tuple[str, ...], width: int) -> list[str]:
    """The key help, items joined with two spaces and wrapped at ``width``."""
    lines = [""]
    for item in items:
        candidate = f"{lines[-1]}  {item}" if lines[-1] else f" {item}"
        if len(candidate) > width and lines[-1]:
            lines.append(f" {item}")
        else:
            lines[-1] = candidate
    return [line[:width] for line in lines]


def status_line(frame: Frame) -> list[Seg]:
    """Whether the program runs or ended, and where keys go."""
    if frame.ended is not None:
        return [(" " + ENDED, "1"), (f"  {frame.ended}" if frame.ended else "", "")]
    if frame.typing:
        return [(" TYPING TO SERIAL ", TYPING), ("  running", "")]
    return [(" running", ""), ("  keys control the board (Tab: type into serial)", "")]


def _fit(segs: list[Seg], width: int) -> list[Seg]:
    """Segments cut (or padded) to exactly ``width`` columns."""
    out: list[Seg] = []
    used = 0
    for text, sgr in segs:
        kept = ""
        for ch in text:
            w = char_width(ch)
            if used + w > width:
                break
            kept += ch
            used += w
        if kept:
            out.append((kept, sgr))
    return out + [(" " * (width - used), "")] if used < width else out


def render(frame: Frame, width: int, height: int) -> list[str]:
    """The whole screen as exactly ``height`` lines, each exactly ``width`` columns."""
    width, height = max(width, 20), max(height, 5)
    items = HELP_SERIAL if frame.typing else HELP_BOARD
    if "pin_logo" not in frame.inputs:  # V1 has no touch logo
        items = tuple(i for i in items if not i.startswith("l L"))
    if "sound" not in frame.inputs:  # nor a microphone
        items = tuple(i for i in items if not i.startswith("n N"))
    if frame.fleet and not frame.typing:
        items = ("[ ]: choose board",) + items
    helps = help_lines(items, width)
    bottom: list[list[Seg]] = [status_line(frame)] + [[(h, "2")] for h in helps]
    top = fleet_strip(frame, width) if frame.fleet else []
    top = top[:max(0, height - len(bottom) - 6)]  # the chosen board keeps some rows
    body_rows = max(0, height - len(bottom) - len(top))
    panel = board_panel(frame)
    side = width >= SIDE_BY_SIDE_MIN
    serial_width = width - PANEL_WIDTH - 3 if side else width - 1
    body: list[list[Seg]] = []
    if side:
        rows = frame.serial.tail(body_rows - 1, serial_width)
        serial: list[list[Seg]] = [[("serial", "1")]] + [[(r, "")] for r in rows]
        for i in range(body_rows):
            left = _fit(panel[i], PANEL_WIDTH) if i < len(panel) else [(" " * PANEL_WIDTH, "")]
            right = serial[i] if i < len(serial) else []
            body.append(left + [(" │ ", "2")] + right)
    else:
        body = panel[:body_rows] + [[(" serial", "1")]]
        rows = frame.serial.tail(body_rows - len(body), serial_width)
        body += [[(" " + r, "")] for r in rows]
    lines = top + (body + [[]] * body_rows)[:body_rows] + bottom
    return [paint(_fit(segs, width), frame.colour) for segs in lines[:height]]
