"""English text to SAM phonemes, as the firmware's reciter does it (``speech.translate``).

The reciter reads the text letter by letter through a 128-byte copy and writes the
phonemes over the text's own 128-byte buffer, which the copy follows in memory. Output
longer than the buffer runs on into the copy, and text read after that is whatever was
written there: the firmware's 80-character limit keeps this rare, not impossible, so
the two buffers are kept here as the one block of memory they are on the board.

For each character the first rule whose ``left(match)right`` fits is applied. Context
symbols: `` `` not a letter, ``#`` vowel, ``.`` voiced consonant, ``^`` consonant,
``:`` any number of consonants, ``+`` E/I/Y, ``&``/``@`` sibilant classes (or ``HC``/
``HS``), ``%`` a suffix (E, ER, ES, ED, ELY, EFUL, ING); letters stand for themselves.
"""

from __future__ import annotations

from functools import cache
from typing import NamedTuple

from ubit.sim.shared.sound.sam.reciter_rules import (
    CHAR_FLAGS,
    LETTER_START,
    PUNCTUATION_RULES,
    RULES,
    RULES_ADDRESS,
)

MAX_TEXT = 80  # modspeech.c: longer input is "text too long"
END_MARK = 0x9B  # ends the phoneme text in the buffer
OUT_LIMIT = 120  # a space written past this offset ends the output instead
_TEXT, _COPY = 0, 128  # the two buffers' offsets in the block (reciter_memory)
_BLOCK = 384  # the block plus the 128 bytes after it that a runaway read reaches
_MAX_STEPS = 4096  # the firmware would loop for ever; no text gets near this

_LETTER, _VOWEL, _CONSONANT = 128, 64, 32
_CLASS = {ord("#"): _VOWEL, ord("."): 8, ord("^"): _CONSONANT, ord("@"): 4}


def _as_bytes(rules: tuple[str, ...]) -> bytes:
    """The rules as the firmware stores them: the last byte of each has its top bit set."""
    return b"".join(rule[:-1].encode("ascii") + bytes([ord(rule[-1]) | 0x80]) for rule in rules)


_TABLES = (_as_bytes(RULES), _as_bytes(PUNCTUATION_RULES))
LETTERS, PUNCTUATION = 0, 1


class Rule(NamedTuple):
    """One rule: contexts (left one nearest first), the letters it matches, its phonemes."""

    left: bytes
    match: bytes
    right: bytes
    phonemes: bytes


@cache
def rule_after(table: int, mark: int) -> tuple[Rule, int]:
    """The rule read after the top-bit byte at ``mark``, and the next rule's mark.

    Like the firmware, the brackets and ``=`` are searched for without stopping at
    rule ends, and the left context is read back to the previous top-bit byte.
    """
    data = _TABLES[table]
    opening = data.index(b"(", mark + 1)
    closing = data.index(b")", opening + 1)
    equals = next(i for i in range(closing + 1, len(data)) if data[i] & 0x7F == ord("="))
    start = opening
    while data[start - 1] < 0x80:
        start -= 1
    end = equals
    while data[end] < 0x80:
        end += 1
    phonemes = bytes(b & 0x7F for b in data[equals:end + 1] if b & 0x7F != ord("="))
    following = next(i for i in range(mark + 1, len(data)) if data[i] >= 0x80)
    return Rule(data[start:opening][::-1], data[opening + 1:closing],
                data[closing + 1:equals], phonemes), following


def _first_mark(table: int, address: int) -> int:
    data = _TABLES[table]
    return next(i for i in range(address + 1, len(data)) if data[i] >= 0x80)


class _Reciter:
    """One translation: the buffer block, where reading and writing have got to."""

    def __init__(self, text: bytes) -> None:
        self.mem = bytearray(_BLOCK)
        self.mem[_TEXT:_TEXT + len(text)] = text
        self.mem[_TEXT + len(text)] = ord("[")
        copy = [32]  # the copy starts with a space: every translation starts with one
        for byte in self.mem[_TEXT:_TEXT + 127]:
            byte &= 0x7F
            copy.append(byte & 0x5F if byte >= 112 else byte & 0x4F if byte >= 96 else byte)
        copy[127] = 27
        self.mem[_COPY:_COPY + 128] = bytes(copy)
        self.out = 255  # offset of the last byte written (none yet)
        self.outside = False  # read past the block: what the firmware reads there varies

    def char(self, i: int) -> int:
        """The copy's character at ``i`` (an 8-bit offset, as in the firmware)."""
        i &= 0xFF
        if i >= 128:
            self.outside = True
        return self.mem[_COPY + i]

    def flags(self, i: int) -> int:
        """The character class flags of the copy's character at ``i``."""
        char = self.char(i)
        return CHAR_FLAGS[char] if char < len(CHAR_FLAGS) else 0

    def emit(self, byte: int) -> None:
        """Write one byte of output after the last one."""
        self.out = (self.out + 1) & 0xFF
        self.mem[_TEXT + self.out] = byte

    # -- matching ----------------------------------------------------------------------------
    def _fits(self, context: bytes, edge: int, direction: int) -> bool:
        """Whether a rule's context fits the text before (``direction`` -1) or after (+1)
        the letters it matched, which begin or end at ``edge``."""
        at = edge
        for symbol in context:
            flags = self.flags(at + direction)
            if CHAR_FLAGS[symbol] & _LETTER:
                ok, step = self.char(at + direction) == symbol, 1
            elif symbol == ord(" "):
                ok, step = not flags & _LETTER, 1
            elif symbol in _CLASS:
                ok, step = bool(flags & _CLASS[symbol]), 1
            elif symbol == ord("&"):
                ok, step = bool(flags & 16), 1
                if not ok and self.char(at + direction) == ord("H"):
                    ok, step = self.char(at + 2 * direction) in b"CS", 2
            elif symbol == ord("+"):
                ok, step = self.char(at + direction) in b"EIY", 1
            elif symbol == ord(":"):
                while self.flags(at + direction) & _CONSONANT:
                    at += direction
                continue
            elif symbol == ord("%") and direction > 0:  # suffixes only follow
                step = self._suffix(at)
                ok = step > 0
            else:
                raise ValueError("could not parse input")  # the firmware's "Err 36894"
            if not ok:
                return False
            at += step * direction
        return True

    def _suffix(self, last: int) -> int:
        """How many characters of a ``%`` suffix follow ``last`` (0: none)."""
        char = self.char
        if char(last + 1) == ord("E"):
            if not self.flags(last + 2) & _LETTER:
                return 1  # E at a word's end
            following = char(last + 2)
            if following in b"RSD":
                return 2
            if following == ord("L"):
                return 3 if char(last + 3) == ord("Y") else 0
            if following == ord("F"):
                return 4 if char(last + 3) == ord("U") and char(last + 4) == ord("L") else 0
            return 0
        if char(last + 1) == ord("I") and char(last + 2) == ord("N") and char(last + 3) == ord("G"):
            return 3
        return 0

    def _apply_rules(self, table: int, address: int, at: int) -> int:
        """Apply the first rule that fits the text at ``at``; the offset of its last letter."""
        mark = _first_mark(table, address)
        while True:
            rule, following = rule_after(table, mark)
            last = at + len(rule.match) - 1
            if (all(self.char(at + k) == byte for k, byte in enumerate(rule.match))
                    and self._fits(rule.left, at, -1) and self._fits(rule.right, last, 1)):
                for byte in rule.phonemes:
                    self.emit(byte)
                return last & 0xFF
            mark = following

    # -- the text ---------------------------------------------------------------------------
    def run(self) -> None:
        """Translate the whole text; the phonemes end with ``END_MARK`` in the buffer."""
        at = 255
        for _ in range(_MAX_STEPS):
            at = (at + 1) & 0xFF
            char = self.char(at)
            if char == ord("["):
                self.emit(END_MARK)
                return
            if char == ord(".") and not self.flags(at + 1) & 1:
                self.emit(ord("."))  # a full stop, not a decimal point
                continue
            flags = CHAR_FLAGS[char] if char < len(CHAR_FLAGS) else 0
            if flags & 2:
                at = self._apply_rules(PUNCTUATION, 0, at)
            elif flags == 0:  # anything else separates words
                self.mem[_COPY + at] = ord(" ")
                self.out = (self.out + 1) & 0xFF
                if self.out > OUT_LIMIT:
                    self.mem[_TEXT + self.out] = END_MARK
                    return
                self.mem[_TEXT + self.out] = ord(" ")
            elif not flags & _LETTER:
                raise ValueError("could not parse input")  # the firmware's "Err 36683"
            else:
                start = LETTER_START[char - ord("A")] - RULES_ADDRESS
                at = self._apply_rules(LETTERS, start, at)
        raise ValueError("could not parse input")


def _recite(text: str | bytes) -> _Reciter:
    data = text.encode("utf-8", "surrogateescape") if isinstance(text, str) else bytes(text)
    if len(data) > MAX_TEXT:
        raise ValueError("text too long")
    reciter = _Reciter(data)
    reciter.run()
    return reciter


def translate(text: str | bytes) -> str:
    """The phonemes for English ``text``, exactly as ``speech.translate`` returns them."""
    buffer = _recite(text).mem[_TEXT:_TEXT + 255]
    end = buffer.find(END_MARK)
    return bytes(buffer if end < 0 else buffer[:end]).decode("latin-1")


def reads_outside(text: str | bytes) -> bool:
    """Whether translating ``text`` reads memory past the reciter's buffers.

    The phonemes then overran the text being read, and the reading runs on into heap
    memory: there the firmware found (under QEMU) other bytes than the zeros assumed
    here, and hung or failed, depending on what the heap held.
    """
    try:
        return _recite(text).outside
    except ValueError:
        return False
