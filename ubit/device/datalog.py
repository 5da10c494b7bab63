"""A real micro:bit V2's data log: ``MY_DATA.HTM`` on its MICROBIT drive, read as CSV.

The V2's ``log`` module keeps its table in the flash beside the interface chip, and
DAPLink shows that whole storage area as the file ``MY_DATA.HTM``. Its format is
CODAL's ``MicroBitLog`` (lancaster-university/codal-microbit-v2, ``inc/MicroBitLog.h``,
``source/MicroBitLog.cpp``, ``resources/logfs/``), where each fact used here comes from:

* The file is the storage area byte for byte, from its first byte: ``_setVisibility``
  gives DAPLink the name ``MY_DATA.HTM`` and the size ``getFlashEnd() - getFlashStart()``,
  and ``resources/logfs/README.md`` says a sample is made by copying ``MY_DATA.HTM``
  from the drive and cutting its first 2 KB.
* It opens with a 2,048-byte HTML page (``MicroBitLog::header[2048]``), which "must end
  with the delimiting characters ``<!--FS_START``" (``resources/logfs/README.md``); the
  page's own script finds the log by splitting its text at ``FS_START``
  (``resources/logfs/default-header.html``, ``dl.load``).
* Right after it (``startAddress = sizeof(header)``, ``MicroBitLog::_clear``) comes the
  metadata ``MicroBitLogMetaData`` (``MicroBitLog.h``): ``version[18]`` =
  ``"UBIT_LOG_FS_V_002\\n"``, ``logEnd[11]`` and ``dataStart[11]`` as ``"0x%08X\\0"``,
  ``daplinkVersion[5]``. A log is there only when the first 14 characters of the
  version, ``UBIT_LOG_FS_V_``, are (``MicroBitLog::_isPresent`` compares just these);
  ``_invalidate`` overwrites the metadata with zeros, and an erased flash reads 0xFF.
* ``dataStart`` and ``logEnd`` are addresses from the start of the storage, so offsets
  in the file (``_clear``: ``journalStart = startAddress + CONFIG_MICROBIT_LOG_METADATA_SIZE``
  (2048), ``dataStart = journalStart + CONFIG_MICROBIT_LOG_JOURNAL_SIZE``; the page's
  script reads ``dataStart - 2048`` into the text after the header). ``_isPresent``
  also wants ``dataStart`` past the journal's start and before ``logEnd``.
* The CSV runs from ``dataStart`` to the first unused byte, 0xFF (``MicroBitLog::init``
  walks "until an unused byte (0xFF) is found"; the page's script stops at the first
  U+FFFD, which is how a browser decodes 0xFF). Every line ends with ``\\n``; a heading
  line is written each time the columns change (``_endRow``), so the text is the same
  CSV a virtual board keeps (``ubit.sim.board.parts.log``).
* An erase (``_clear``) erases the pages up to and including the first page of data, so
  an erased log reads as no data at all; the old rows further on are never read.
* When a line doesn't fit, ``_logString`` writes ``"FUL"`` at ``logEnd + 1`` and the log
  is full (the page's script shows "LOG FULL" when ``logEnd - 2048 + 1`` holds ``FUL``).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from ubit.device.drives import NO_DRIVE, Drive, pick_drive
from ubit.errors import DeviceError
from ubit.fileio import read_input_bytes, shown

MY_DATA_NAME = "MY_DATA.HTM"
FS_START = b"<!--FS_START"  # the last bytes of the HTML header
VERSION_PREAMBLE = b"UBIT_LOG_FS_V_"
# MicroBitLogMetaData: version[18], logEnd[11], dataStart[11], daplinkVersion[5]
LOG_END_FIELD = slice(18, 29)
DATA_START_FIELD = slice(29, 40)
METADATA_SIZE = 45
METADATA_REGION = 2048  # CONFIG_MICROBIT_LOG_METADATA_SIZE: the journal starts after it
UNUSED = 0xFF
FULL_MARK = b"FUL"
# The storage is about 124 KB on every V2 (0x1F000 bytes with DAPLink 0256); far more
# than that is not a micro:bit's file, and is refused before it is read whole.
MAX_MY_DATA_SIZE = 4 * 1024 * 1024


class NotADataLogError(DeviceError):
    """A file that is not a micro:bit data log (``MY_DATA.HTM``)."""


class NoDataLogError(DeviceError):
    """A micro:bit drive with no data log on it (a V1, or no ``MY_DATA.HTM``)."""


@dataclass(frozen=True)
class BoardLog:
    """A data log as read from a board: its CSV text and whether the log is full."""

    csv: str
    full: bool

    @property
    def lines(self) -> int:
        """How many CSV lines (headings and rows) the log holds."""
        return self.csv.count("\n")


def _address(field: bytes) -> int | None:
    """A metadata address, ``b"0x0001EFFC\\0"``, as a number (None if it isn't one)."""
    text = field.rstrip(b"\0")
    if len(text) != 10 or not text.startswith(b"0x"):
        return None
    try:
        return int(text[2:], 16)
    except ValueError:
        return None


def _blank(data: bytes) -> bool:
    """Erased (0xFF) or zeroed storage: nothing was ever logged, or it was wiped."""
    return not data.strip(b"\xff\0")


def read_my_data(html: bytes) -> BoardLog:
    """The data log held in the bytes of a ``MY_DATA.HTM`` (empty CSV when nothing is logged)."""
    if _blank(html):
        return BoardLog("", False)
    marker = html.find(FS_START)
    if marker < 0:
        raise NotADataLogError(
            f"this is not a micro:bit data log (no '{FS_START.decode()}' after an HTML "
            f"header); give the {MY_DATA_NAME} of a micro:bit V2's MICROBIT drive")
    meta_at = marker + len(FS_START)
    meta = html[meta_at:meta_at + METADATA_SIZE]
    if not meta.startswith(VERSION_PREAMBLE):
        if _blank(meta):
            return BoardLog("", False)  # invalidated (zeros) or never formatted (0xFF)
        raise NotADataLogError(
            "this is not a micro:bit data log this version of ubit reads (no "
            f"'{VERSION_PREAMBLE.decode()}' after its HTML header)")
    log_end = _address(meta[LOG_END_FIELD])
    data_start = _address(meta[DATA_START_FIELD])
    if log_end is None or data_start is None or not (
            meta_at + METADATA_REGION <= data_start < log_end):
        raise NotADataLogError("this micro:bit data log is damaged (its start and end "
                               "addresses are not valid); log again to make a new one")
    region = html[data_start:log_end]
    end = region.find(bytes([UNUSED]))
    data = region if end < 0 else region[:end]
    full = html[log_end + 1:log_end + 1 + len(FULL_MARK)] == FULL_MARK
    return BoardLog(data.decode("utf-8", "surrogateescape"), full)


def csv_from_my_data(html: bytes) -> str:
    """The CSV text of the data log in the bytes of a ``MY_DATA.HTM`` ("" if it is empty)."""
    return read_my_data(html).csv


def _my_data_in(folder: Path) -> Path | None:
    """``MY_DATA.HTM`` in ``folder``, whatever case the drive shows its name in."""
    try:
        names = os.listdir(folder)
    except OSError:
        return None
    for name in names:
        if name.upper() == MY_DATA_NAME:
            return folder / name
    return None


def pick_log_drive(explicit: str | os.PathLike[str] | None = None) -> Drive:
    """The drive to read the log from: ``explicit`` (``--drive``), else the one plugged in."""
    # a folder given that isn't a drive still reads the same: a copy of a drive's files
    return pick_drive(explicit=explicit, none_found=NO_DRIVE.replace(
        "plug the micro:bit in", "plug the micro:bit V2 in"))[0]


def find_my_data(drive: str | os.PathLike[str] | Drive | None = None) -> tuple[Drive, Path]:
    """The drive and its ``MY_DATA.HTM``: ``drive`` given (a folder or a Drive) or found."""
    found = drive if isinstance(drive, Drive) else pick_log_drive(drive)
    if found.board_label == "V1":
        raise NoDataLogError(f"{shown(found.path)} is a micro:bit V1, which has no data log "
                             "(the log module needs a micro:bit V2)")
    path = _my_data_in(found.path)
    if path is None:
        raise NoDataLogError(
            f"{shown(found.path)} has no {MY_DATA_NAME}: this micro:bit has no data log; "
            "run a program that uses log.add() on it (a micro:bit V2), then read it again")
    return found, path


def read_board_log(drive: str | os.PathLike[str] | Drive | None = None
                   ) -> tuple[Drive, Path, BoardLog]:
    """The data log of the micro:bit at ``drive`` (or the one plugged in), from its drive."""
    found, path = find_my_data(drive)
    data = read_input_bytes(path, MAX_MY_DATA_SIZE)
    try:
        return found, path, read_my_data(data)
    except NotADataLogError as exc:
        raise NotADataLogError(f"{shown(path)}: {exc}") from None
