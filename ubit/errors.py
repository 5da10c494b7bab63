"""Errors that ubit reports to its users.

Every error a user can cause is a ``UbitError``; the command line prints its
message as ``ubit: <command>: <message>`` and exits 1, never a traceback.

    UbitError
    ├── UsageError            the command was called wrongly (exit 2)
    ├── InputFileError        a file the user named can't be read as asked
    ├── HexError              a .hex file is not what it should be
    │   ├── HexFormatError    not Intel HEX: bad record, checksum, truncation
    │   └── NotMicroPythonError  valid Intel HEX but no MicroPython in it
    ├── BuildError            files can't go into a hex
    │   ├── FileNameError     a file name the filesystem can't store
    │   └── FilesystemFullError  the files don't fit in the target's filesystem
    └── DeviceError           a board, drive or serial port misbehaved
        └── DriveNotFoundError  no (or more than one) micro:bit drive
"""

from __future__ import annotations


class UbitError(Exception):
    """The root of every error ubit reports to a user."""

    exit_code = 1


class UsageError(UbitError):
    """A command was given arguments it can't use."""

    exit_code = 2


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
