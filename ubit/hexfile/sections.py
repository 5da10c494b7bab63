"""Closing a Universal Hex section after appending records to it.

Universal Hex "512-byte aligned sections" (spec-universal-hex, docs/format.md):
a board's section is its records, then padding records (0x0C) and a block-end
record (0x0B) whose lengths bring the section, newlines included, to a multiple
of 512 characters; V2 data goes in custom-data records (0x0D). Records are made
with universal-hex's own constructors; this module only does the arithmetic for
a section that grows after universal-hex has written its start.
"""

from __future__ import annotations

from universal_hex.ihex import block_end_record, padded_data_record

SECTION_ALIGN = 512
PAD_RECORD_DATA = 16  # bytes per padding record, as in the 16-byte data records we write


def close_section(opened: str, more: list[str]) -> str:
    """``opened`` (whole lines) + ``more`` records, padded and ended so it is 512-aligned."""
    lines = list(more)
    length = len(opened) + sum(len(line) + 1 for line in lines) + len(block_end_record(0)) + 1
    empty_pad = len(padded_data_record(0)) + 1
    needed = (SECTION_ALIGN - length % SECTION_ALIGN) % SECTION_ALIGN
    while needed > PAD_RECORD_DATA * 2:
        pad = padded_data_record(min((needed - empty_pad) // 2, PAD_RECORD_DATA))
        lines.append(pad)
        length += len(pad) + 1
        needed = (SECTION_ALIGN - length % SECTION_ALIGN) % SECTION_ALIGN
    lines.append(block_end_record(needed // 2))
    return opened + "\n".join(lines) + "\n"
