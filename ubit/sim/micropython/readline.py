"""Line editing for the friendly REPL, as MicroPython's readline does it on the serial port.

Behaviour from the firmware (reference §2.1; MicroPython ``shared/readline``):
echo, backspace, cursor keys, 8 lines of history, Ctrl-A/E as home/end on a
non-empty line, auto-indent after a line ending in ``:``, Tab completion. On an
empty line Ctrl-A/B/C/D/E end the read and are returned to the REPL.
"""

from __future__ import annotations

from collections.abc import Callable

from ubit.sim.board.serialport import SerialPort

CTRL_A, CTRL_B, CTRL_C, CTRL_D, CTRL_E = 1, 2, 3, 4, 5
BACKSPACE = (0x08, 0x7F)
ESC = 0x1B
HISTORY_SIZE = 8  # MICROPY_READLINE_HISTORY_SIZE on both boards

Completer = Callable[[str], "tuple[str, list[str]]"]  # text → (insert, candidates to list)


class LineEditor:
    """Reads one logical line from the serial port with MicroPython's editing keys."""

    def __init__(self, serial: SerialPort, complete: Completer) -> None:
        self.serial = serial
        self.complete = complete
        self.history: list[str] = []

    def _out(self, text: str) -> None:
        self.serial.write(text.encode("utf-8", "surrogateescape"))

    def _key(self) -> int:
        data = self.serial.read(1)
        if not data:
            raise EOFError("serial port closed")
        return data[0]

    def read(self, buffer: list[str], prompt: str) -> int:
        """Add one edited line to ``buffer[0]`` after ``prompt``; 0 on Enter, else the control key.

        ``buffer[0]`` holds the statement so far (earlier lines end in "\\n"); auto-indent
        looks at it as the firmware does.
        """
        self._out(prompt)
        line = self._auto_indent(buffer[0])
        self._out(line)
        cursor = len(line)
        history_pos = -1
        escape: list[int] = []
        while True:
            c = self._key()
            if escape or c == ESC:
                escape.append(c)
                action = _escape_action(escape)
                if action is None:
                    continue
                escape = []
                if action in ("up", "down"):
                    history_pos, new = self._recall(history_pos, action == "up")
                    if new is not None:
                        self._out("\b" * cursor + new + " " * max(0, len(line) - len(new)) +
                                  "\b" * max(0, len(line) - len(new)))
                        line, cursor = new, len(new)
                elif action == "left" and cursor > 0:
                    cursor -= 1
                    self._out("\b")
                elif action == "right" and cursor < len(line):
                    self._out(line[cursor])
                    cursor += 1
                elif action == "home":
                    self._out("\b" * cursor)
                    cursor = 0
                elif action == "end":
                    self._out(line[cursor:])
                    cursor = len(line)
                elif action == "delete" and cursor < len(line):
                    line = line[:cursor] + line[cursor + 1:]
                    self._out(line[cursor:] + " " + "\b" * (len(line) - cursor + 1))
                continue
            if CTRL_A <= c <= CTRL_E and not line.strip():
                # a control key on an empty line (auto-indent counts as empty) ends the read
                if c == CTRL_D:
                    buffer[0] += line
                return c
            if c == CTRL_C:
                return c  # cancel, even with text on the line
            if c == CTRL_A:
                self._out("\b" * cursor)
                cursor = 0
            elif c == CTRL_E:
                self._out(line[cursor:])
                cursor = len(line)
            elif c == ord("\r"):
                self._out("\r\n")
                buffer[0] += line
                self._remember(line)
                return 0
            elif c in BACKSPACE:
                if cursor > 0:
                    # in leading spaces, backspace takes off a whole indent level
                    n = 4 if cursor >= 4 and not line[:cursor].strip() else 1
                    line = line[:cursor - n] + line[cursor:]
                    cursor -= n
                    self._out("\b" * n + line[cursor:] + " " * n + "\b" * (len(line) - cursor + n))
            elif c == ord("\t"):
                before = line[:cursor]
                if not before.strip():
                    insert = "    "
                else:
                    insert, candidates = self.complete(before)
                    if candidates:
                        self._out("\r\n" + _columns(candidates) + "\r\n" + prompt + line)
                        self._out("\b" * (len(line) - cursor))
                        continue
                if insert:
                    line = line[:cursor] + insert + line[cursor:]
                    self._out(line[cursor:] + "\b" * (len(line) - cursor - len(insert)))
                    cursor += len(insert)
            elif c >= 32 or c == ord("\n"):
                ch = chr(c) if c < 128 else bytes([c]).decode("latin-1")
                line = line[:cursor] + ch + line[cursor:]
                self._out(line[cursor:] + "\b" * (len(line) - cursor - 1))
                cursor += 1

    def _auto_indent(self, statement: str) -> str:
        """Spaces the firmware puts at the start of a continuation line."""
        if not statement.endswith("\n") or len(statement) < 2:
            return ""
        lines = statement[:-1].split("\n")
        last = lines[-1]
        if not last.strip() and len(lines) >= 2 and not lines[-2].strip():
            return ""  # two blank lines in a row: stop indenting so Enter ends the block
        level = (len(last) - len(last.lstrip(" "))) // 4
        if last.rstrip().endswith(":"):
            level += 1
        return "    " * level

    def _remember(self, entry: str) -> None:
        if entry.strip() and (not self.history or self.history[0] != entry):
            self.history.insert(0, entry)
            del self.history[HISTORY_SIZE:]

    def _recall(self, pos: int, older: bool) -> tuple[int, str | None]:
        pos = pos + 1 if older else pos - 1
        if pos < -1 or pos >= len(self.history):
            return (pos - 1 if older else pos + 1), None
        return pos, ("" if pos == -1 else self.history[pos])


def _escape_action(seq: list[int]) -> str | None:
    """The key an escape sequence stands for, None while it is incomplete."""
    if len(seq) < 2:
        return None
    if seq[1] not in (ord("["), ord("O")):
        return "ignore"
    if len(seq) < 3:
        return None
    last = chr(seq[-1])
    simple = {"A": "up", "B": "down", "C": "right", "D": "left", "H": "home", "F": "end"}
    if len(seq) == 3 and last in simple:
        return simple[last]
    if last == "~":
        return {"1": "home", "7": "home", "4": "end", "8": "end", "3": "delete"}.get(
            chr(seq[2]), "ignore")
    if last.isdigit() and len(seq) < 6:
        return None
    return "ignore"


def _columns(names: list[str]) -> str:
    """Names laid out as MicroPython lists completions: 16-column slots, 64-column lines."""
    slot, width = 16, 64
    out, line_len = "", width
    for name in names:
        gap = (line_len + slot - 1) // slot * slot - line_len
        if gap < 2:
            gap += slot
        if line_len + gap + len(name) <= width:
            out += " " * gap + name
            line_len += gap + len(name)
        else:
            out += ("\r\n" if out else "") + name
            line_len = len(name)
    return out
