"""A user's program files → a MicroPython hex: the one build path the CLI and tools share."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from ubit.errors import BuildError
from ubit.fileio import read_input_bytes
from ubit.hexfile.sources import SourceFile, assign_names
from ubit.hexfile.targets import V1, V2, Board, boards_for_target

if TYPE_CHECKING:
    from ubit.hexfile import PreparedRuntime

# Files bigger than any micro:bit filesystem (V1 has about 28 KB) are refused before reading.
MAX_SOURCE_SIZE = 1024 * 1024


def read_sources(paths: Sequence[str | os.PathLike[str]]) -> list[SourceFile]:
    """Read the files named on the command line; each keeps its base name on the board."""
    return [SourceFile(Path(p).name, read_input_bytes(p, MAX_SOURCE_SIZE)) for p in paths]


def runtimes_for(target: str, runtime_path: str | None) -> dict[Board, PreparedRuntime]:
    """The prepared runtime for each board of ``target`` (a user runtime replaces its board's)."""
    from ubit.runtimes import bundled_runtime, user_runtime  # the hex libraries: only to build

    boards = boards_for_target(target)
    runtimes: dict[Board, PreparedRuntime] = {}
    if runtime_path:
        custom = user_runtime(runtime_path)
        if custom.board not in boards:
            raise BuildError(f"--runtime {runtime_path}: is a {custom.board.label} runtime "
                             f"but --target is {target}")
        runtimes[custom.board] = custom
    for board in boards:
        if board not in runtimes:
            runtimes[board] = bundled_runtime(board)
    return runtimes


def build_hex(
    files: Sequence[SourceFile], target: str = "universal", main: str | None = None,
    runtime_path: str | None = None,
) -> tuple[str, tuple[Board, ...]]:
    """Hex text holding ``files`` for ``target``, and the boards it is for."""
    from ubit.hexfile import build_single, build_universal

    named = assign_names(files, main)
    runtimes = runtimes_for(target, runtime_path)
    if target == "universal":
        return build_universal(named, runtimes[V1], runtimes[V2]), (V1, V2)
    (board,) = runtimes
    return build_single(named, runtimes[board]), (board,)


def build_from_paths(
    paths: Sequence[str | os.PathLike[str]], target: str = "universal",
    main: str | None = None, runtime_path: str | None = None,
) -> tuple[str, tuple[Board, ...]]:
    """Read files from disk and build them into hex text."""
    return build_hex(read_sources(paths), target, main, runtime_path)
