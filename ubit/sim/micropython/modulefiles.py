"""Which of a board's modules were made from the project's files, and from which file.

The firmware gives such a module no ``__file__`` (neither release is built with
``MICROPY_PY___FILE__``: v2.1.2 ``mpconfigport.h``; the V1 firmware under QEMU), so the
board keeps it aside: the importer notes it, the heap model and ``sys.modules`` ask.
"""

from __future__ import annotations

from types import ModuleType

from ubit.sim.board.board import Board

_FILES = "module_files"  # board.module_state: id of a module made from a file -> its file


def note_file(board: Board, module: ModuleType, filename: str | None) -> None:
    """Say ``module`` was made from ``filename`` (None: it wasn't, after all)."""
    files = board.module_state(_FILES, dict)
    if filename is None:
        files.pop(id(module), None)
    else:
        files[id(module)] = filename


def module_file(board: Board, module: ModuleType) -> str | None:
    """The project file ``module`` was imported from (None: a built-in module)."""
    return board.module_state(_FILES, dict).get(id(module))
