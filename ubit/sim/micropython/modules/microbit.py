"""``microbit``: assembled from the API areas in ``ubit.sim.micropython.api``.

Every module in that package with a ``contribute(device, namespace)`` function
adds its names, in alphabetical order of the module names.
"""

from __future__ import annotations

import importlib
import pkgutil
from typing import Any

from ubit.sim.board.board import Board
from ubit.sim.micropython import api


def area_modules() -> list[str]:
    """Names of the API area modules, in the order they contribute."""
    return sorted(info.name for info in pkgutil.iter_modules(api.__path__))


def create(board: Board) -> dict[str, Any]:
    """The names of the ``microbit`` module on ``device``."""
    namespace: dict[str, Any] = {}
    for area in area_modules():
        module = importlib.import_module(f"{api.__name__}.{area}")
        contribute = getattr(module, "contribute", None)
        if contribute is not None:
            contribute(board, namespace)
    return namespace
