"""``builtins``: the names every user module sees without importing them.

The module answers with the very mapping user code runs with (the builtins
of the importing code's frame), so ``import builtins`` shows the board's
builtins (no ``format``, ``vars``…) rather than CPython's.
"""

from __future__ import annotations

import sys

from ubit.sim.board.board import Board
from ubit.sim.micropython.tracebacks import is_user_file
from ubit.sim.shared.builtin_types import builtins_names
from ubit.sim.shared.typenames import Any


def user_builtins() -> dict[str, Any]:
    """The builtins of the innermost user code on this thread's stack."""
    frame = sys._getframe(1)
    while frame is not None:
        if is_user_file(frame.f_code.co_filename):
            return frame.f_builtins  # not in its globals: executor's module doc
        frame = frame.f_back
    return {}


def create(board: Board) -> dict[str, Any]:
    """The names of ``builtins`` on ``device``."""
    every = user_builtins()
    # only the firmware's names: not the emulation's __mp_* helpers nor CPython's extras
    # (firmware-v2-observed 101, 102)
    names = {name: value for name, value in every.items()
             if name in builtins_names(not board.spec.builtins_1_9)}
    names["__name__"] = "builtins"
    names["__repl_print__"] = _repl_print(every)
    return names


def _repl_print(every: dict[str, Any]) -> Any:
    """The REPL's printer of an expression statement's value (py/modbuiltins.c)."""
    def __repl_print__(value: Any) -> None:  # noqa: N807 - the firmware's name
        if value is not None:
            every["print"](every["repr"](value))
    return __repl_print__
