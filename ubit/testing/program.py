"""What a test runs: a program's files, from source text, a ``.py``, a folder or a ``.hex``."""

from __future__ import annotations

import os
from pathlib import Path

from ubit.errors import InputFileError, UbitError
from ubit.fileio import read_input_bytes

MAX_PROGRAM_SIZE = 1024 * 1024  # a .py or a folder's file: far more than a board's filesystem
MAX_HEX_SIZE = 8 * 1024 * 1024  # a universal hex with both runtimes is about 1.9 MB


def load_files(path: str | os.PathLike[str]) -> dict[str, bytes]:
    """The board's filesystem a path stands for: .py → main.py, .hex → its files, folder → files.

    ``ubit.errors.UbitError`` with the path and what to do when it can't be read.
    """
    p = Path(path)
    if p.is_dir():
        from ubit.sim.host.fsdir import check_board_name

        entries = [f for f in sorted(p.iterdir()) if f.is_file() and not f.name.startswith(".")]
        for entry in entries:
            check_board_name(entry.name, entry)
        files = {f.name: read_input_bytes(f, MAX_PROGRAM_SIZE) for f in entries}
        if "main.py" not in files:
            raise InputFileError(f"{p}: the folder has no main.py: put the program to run "
                                 "in main.py")
        return files
    is_hex = p.suffix.lower() == ".hex"
    data = read_input_bytes(p, MAX_HEX_SIZE if is_hex else MAX_PROGRAM_SIZE)
    if is_hex:
        from ubit.hexfile import ensure_text, read_hex

        try:
            return read_hex(ensure_text(data)).files()
        except (UbitError, ValueError) as exc:
            raise InputFileError(f"{p}: {exc}") from None
    return {"main.py": data}
