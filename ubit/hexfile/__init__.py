"""The hex toolchain: pure functions over Intel HEX text for MicroPython on the micro:bit.

Imports nothing else of ubit but ``ubit.errors``.
"""

from ubit.hexfile.build import (
    SourceFile,
    assign_names,
    build_single,
    build_universal,
    check_fits,
)
from ubit.hexfile.extract import BoardContents, HexContents, ensure_text, read_hex
from ubit.hexfile.records import DecodedHex, FlashImage, decode
from ubit.hexfile.runtime import PreparedRuntime, bundled_runtime_path, prepare_runtime
from ubit.hexfile.targets import BOARDS, TARGETS, V1, V2, Board, boards_for_target

__all__ = [
    "BOARDS",
    "TARGETS",
    "V1",
    "V2",
    "Board",
    "BoardContents",
    "DecodedHex",
    "FlashImage",
    "HexContents",
    "PreparedRuntime",
    "SourceFile",
    "assign_names",
    "boards_for_target",
    "build_single",
    "build_universal",
    "bundled_runtime_path",
    "check_fits",
    "decode",
    "ensure_text",
    "prepare_runtime",
    "read_hex",
]
