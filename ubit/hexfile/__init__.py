"""The hex toolchain: pure functions over Intel HEX text for MicroPython on the micro:bit.

Imports nothing else of ubit but ``ubit.errors``. Names load on first use, so a
command that needs only ``TARGETS`` doesn't pay for the hex libraries.
"""

from __future__ import annotations

import importlib

TYPE_CHECKING = False  # typing costs `ubit run` and every board milliseconds
if TYPE_CHECKING:
    from typing import Any

_WHERE = {
    "SourceFile": "sources", "assign_names": "sources", "build_single": "build",
    "build_universal": "build", "check_fits": "build",
    "BoardContents": "extract", "HexContents": "extract", "ensure_text": "extract",
    "read_hex": "extract",
    "DecodedHex": "records", "FlashImage": "records", "decode": "records",
    "PreparedRuntime": "runtime", "bundled_runtime_path": "runtime",
    "prepare_runtime": "runtime",
    "BOARDS": "targets", "TARGETS": "targets", "V1": "targets", "V2": "targets",
    "Board": "targets", "boards_for_target": "targets",
}

__all__ = sorted(_WHERE)


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module 'ubit.hexfile' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"ubit.hexfile.{_WHERE[name]}"), name)
    globals()[name] = value
    return value
