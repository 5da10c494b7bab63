"""Closing a Universal Hex section after appending records to it.

Universal Hex "512-byte aligned sections" (spec-universal-hex, docs/format.md):
a board's section is its records, then padding records (0x0C) and a block-end
record (0x0B) whose lengths bring the section, newlines included, to a multiple
of 512 characters; V2 data goes in custom-data records (0x0D). Records are made
with universal-hex's own constructors; this module only does the arithmetic for
a section that grows after universal-hex has written its start.
"""

from __future__ import annotations

from universal_hex.ihex import (
    RecordType,
    block_end_record,
    convert_record_to,
    get_record_type,
    padded_data_record,
)

from ubit.hexfile.targets import V1, Board

SECTION_ALIGN = 512
PAD_RECORD_DATA = 16  # bytes per padding record, as in the 16-byte data records we write


def section_records(hex_text: str, board: Board) -> list[str]:
    """A plain hex's records as a section of ``board`` holds them (no EOF, no start address)."""
    out = []
    for line in hex_text.splitlines():
        line = line.strip()
        if not line:
            continue
        kind = get_record_type(line)
        if kind == RecordType.Data:
            out.append(line if board is V1 else convert_record_to(line, RecordType.CustomData))
        elif kind == RecordType.ExtendedLinearAddress:
            out.append(line)
    return out


def close_section(opened: str, more: list[str]) -> str:
    """``opened`` + ``more`` records, padded and ended so the section is 512-aligned."""
    lines = opened.splitlines() + more
    length = sum(len(line) + 1 for line in lines) + len(block_end_record(0)) + 1
    empty_pad = len(padded_data_record(0)) + 1
    needed = (SECTION_ALIGN - length % SECTION_ALIGN) % SECTION_ALIGN
    while needed > PAD_RECORD_DATA * 2:
        pad = padded_data_record(min((needed - empty_pad) // 2, PAD_RECORD_DATA))
        lines.append(pad)
        length += len(pad) + 1
        needed = (SECTION_ALIGN - length % SECTION_ALIGN) % SECTION_ALIGN
    lines.append(block_end_record(needed // 2))
    return "\n".join(lines) + "\n"
