"""``builtins``: the names every user module sees without importing them.

The module answers with the very mapping user code runs with (the
``__builtins__`` of the importing code), so ``import builtins`` shows the
board's builtins (no ``format``, ``vars``…) rather than CPython's.
"""

from __future__ import annotations

import sys
from typing import Any

from ubit.sim.board.board import Board
from ubit.sim.micropython.tracebacks import is_user_file


def user_builtins() -> dict[str, Any]:
    """The builtins of the innermost user code on this thread's stack."""
    frame = sys._getframe(1)
    while frame is not None:
        if is_user_file(frame.f_code.co_filename):
            found = frame.f_globals.get("__builtins__")
            if isinstance(found, dict):
                return found
        frame = frame.f_back
    return {}


def create(board: Board) -> dict[str, Any]:
    """The names of ``builtins`` on ``device``."""
    names = dict(user_builtins())
    names["__name__"] = "builtins"
    return names
