"""MicroPython runtimes: the bundled official hexes, and runtimes prepared for fast builds.

A build needs, for each board, the runtime's hex text and where its filesystem
lies. Finding that means decoding 1–2 MB of hex, so a ``PreparedRuntime`` keeps
the answer (plain data, JSON-serialisable) and builds then only add the small
filesystem records after the runtime's own.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import asdict, dataclass
from pathlib import Path

from micropython_microbit_fs import NotMicroPythonError as LibNotMicroPython
from micropython_microbit_fs.device_info import DeviceInfo, DeviceVersion, get_device_info_ih
from micropython_microbit_fs.filesystem import (
    CHUNK_SIZE,
    get_fs_start_address,
    get_last_page_address,
)
from universal_hex import IndividualHex, create_uhex
from universal_hex.ihex import RecordType, get_record_type

from ubit.errors import BuildError, NotMicroPythonError
from ubit.hexfile.records import EOF_RECORD, FlashImage, decode
from ubit.hexfile.targets import BUNDLED_VERSIONS, V1, V2, Board


@dataclass(frozen=True)
class PreparedRuntime:
    """A runtime hex split into what builds reuse: its text and its filesystem layout."""

    board_name: str
    digest: str  # sha256 of the runtime text, to key caches
    version: str  # as the firmware states it, e.g. "micro:bit v2.1.2+0697c6d on ..."
    info: dict  # micropython-microbit-fs DeviceInfo fields
    body: str  # the runtime's records, without the end-of-file record, ending in "\n"
    section: str  # its Universal Hex section as universal-hex writes it, left open (see below)

    @property
    def device_info(self) -> DeviceInfo:
        """The library's DeviceInfo for this runtime."""
        fields = dict(self.info)
        fields["device_version"] = DeviceVersion(fields["device_version"])
        return DeviceInfo(**fields)

    @property
    def board(self) -> Board:
        """V1 or V2."""
        return V1 if self.board_name == "v1" else V2

    @property
    def fs_chunks(self) -> int:
        """How many 128-byte chunks the empty filesystem has."""
        info = self.device_info
        return (get_last_page_address(info) - get_fs_start_address(info)) // CHUNK_SIZE

    def to_json(self) -> dict:
        """Plain data for a cache file."""
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict) -> PreparedRuntime:
        """Inverse of ``to_json``."""
        return cls(**data)


def bundled_runtime_path(board: Board) -> Path:
    """Path of the official runtime hex for ``board`` inside micropython-microbit-fs."""
    import micropython_microbit_fs

    version = BUNDLED_VERSIONS[board]
    root = Path(micropython_microbit_fs.__file__).parent / "hexes"
    return root / f"microbit{board.name}" / f"v{version}" / f"micropython-microbit-v{version}.hex"


def device_info_of(image: FlashImage) -> DeviceInfo:
    """The library's reading of where MicroPython and its filesystem lie in ``image``."""
    try:
        return get_device_info_ih(image)
    except LibNotMicroPython:
        raise NotMicroPythonError("no MicroPython runtime found in it") from None


_VERSION_RE = re.compile(rb"MicroPython v[0-9][^\x00\r\n]{0,80}")


def firmware_version_text(image: FlashImage) -> str | None:
    """The banner compiled into the firmware ("MicroPython v1.18 on ...; micro:bit v2.1.2 ...")."""
    end = image.maxaddr()
    if end is None:
        return None
    found = _VERSION_RE.search(image.read(0, min(end + 1, 0x80000)))
    return found.group().decode("ascii", "replace").strip() if found else None


def prepare_runtime(text: str) -> PreparedRuntime:
    """Decode a runtime hex once and keep what builds need from it."""
    decoded = decode(text)
    if decoded.is_universal:
        raise NotMicroPythonError("a runtime must be a single-board hex, not a universal hex")
    image = decoded.images[None]
    info = device_info_of(image)
    fs_start = get_fs_start_address(info)
    if image.has_data(fs_start, info.fs_end_address - fs_start):
        raise BuildError("it already holds files; use a runtime with an empty filesystem "
                         "(ubit hex extract gets the files out)")
    board = V1 if info.device_version == DeviceVersion.V1 else V2
    fields = asdict(info)
    fields["device_version"] = info.device_version.value
    lines = text.splitlines()
    while lines and not lines[-1].strip():
        lines.pop()
    if lines and lines[-1].strip().upper() == EOF_RECORD:
        lines.pop()
    body = "\n".join(line.strip() for line in lines) + "\n"
    return PreparedRuntime(
        board_name=board.name,
        digest=hashlib.sha256(text.encode()).hexdigest(),
        version=info.micropython_version,
        info=fields,
        body=body,
        section=open_section(body, board),
    )


def open_section(body: str, board: Board) -> str:
    """The runtime's Universal Hex section from universal-hex, minus its closing records.

    universal-hex ends a section with padding and a block-end record that align it
    to 512 bytes; we take those off so a build can append the filesystem records
    and close the section again (``sections.close_section``).
    """
    lines = create_uhex([IndividualHex(body + EOF_RECORD + "\n", board.board_ids[0])]).splitlines()
    closing = {RecordType.EndOfFile, RecordType.BlockEnd, RecordType.PaddedData}
    while lines and get_record_type(lines[-1]) in closing:
        lines.pop()
    return "\n".join(lines) + "\n"
