"""Errors that ubit reports to its users.

Every error a user can cause is a ``UbitError``; the command line prints its
message as ``ubit: <command>: <message>`` and exits 1, never a traceback.

    UbitError
    ├── UsageError            the command was called wrongly (exit 2)
    ├── InputFileError        a file the user named can't be read as asked
    ├── HexError              a .hex file is not what it should be
    │   ├── HexFormatError    not Intel HEX: bad record, checksum, truncation
    │   └── NotMicroPythonError  valid Intel HEX but no MicroPython in it
    ├── TimeLimitError        a program held on past its time limit and was ended (exit 3)
    ├── BuildError            files can't go into a hex
    │   ├── FileNameError     a file name the filesystem can't store
    │   └── FilesystemFullError  the files don't fit in the target's filesystem
    └── DeviceError           a board, drive or serial port misbehaved
        └── DriveNotFoundError  no (or more than one) micro:bit drive

Names and text that come from users' files, hexes and boards go through ``printable``
before they are shown, so a file name can't drive the terminal.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    import re

# Characters that act on a terminal instead of showing: C0 and C1 controls (ESC, CR,
# BEL, ...), DEL, the bidirectional overrides that reorder what follows, and the lone
# surrogates that stand for bytes that aren't UTF-8 (``surrogateescape``). Compiled when
# first needed: every board process and every `ubit run` imports this module (issue 17).
_UNPRINTABLE_CLASS = "[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
_unprintable: re.Pattern[str] | None = None


def _escape(match: re.Match[str]) -> str:
    code = ord(match[0])
    if 0xDC80 <= code <= 0xDCFF:  # a byte that wasn't UTF-8: show the byte
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str) -> str:
    """``text`` with control characters and stray bytes shown as escapes (``\\x1b``)."""
    global _unprintable
    if text.isprintable():  # no control, format or surrogate character: nothing to escape
        return text
    if _unprintable is None:
        import re

        _unprintable = re.compile(_UNPRINTABLE_CLASS)
    return _unprintable.sub(_escape, text)


class UbitError(Exception):
    """The root of every error ubit reports to a user."""

    exit_code = 1


class UsageError(UbitError):
    """A command was given arguments it can't use."""

    exit_code = 2


class TimeLimitError(UbitError):
    """A program on a virtual board ran past its time limit in a call nothing can interrupt."""

    exit_code = 3


class InputFileError(UbitError):
    """A file or folder the user named can't be read as asked."""


class HexError(UbitError):
    """A .hex file is not what it should be."""


class HexFormatError(HexError):
    """Text that is not valid Intel HEX (records, checksums, lengths)."""


class NotMicroPythonError(HexError):
    """A valid Intel HEX file that holds no MicroPython runtime."""


class BuildError(UbitError):
    """Files that can't be put into a MicroPython hex."""


class FileNameError(BuildError):
    """A file name the micro:bit filesystem can't store."""


class FilesystemFullError(BuildError):
    """Files that don't fit in the target's filesystem."""


class DeviceError(UbitError):
    """A board, drive or serial port that misbehaved."""


class DriveNotFoundError(DeviceError):
    """No micro:bit drive, or several where one was needed."""
