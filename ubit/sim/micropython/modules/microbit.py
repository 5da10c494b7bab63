"""``microbit``: assembled from the API areas in ``ubit.sim.micropython.api``.

Every module in that package with a ``contribute(device, namespace)`` function
adds its names, in alphabetical order of the module names.
"""

from __future__ import annotations

import importlib

from ubit.sim.board.board import Board
from ubit.sim.micropython import api
from ubit.sim.shared.typenames import Any

# The modules of ``ubit.sim.micropython.api``, sorted. Written out rather than listed with
# pkgutil, which (with typing behind it) would cost most programs' start-up milliseconds;
# tests/test_startup.py checks it against the package's folder.
AREAS = ("accelerometer", "builtinsounds", "buses", "buttons", "compass", "core", "display",
         "files", "image", "pins", "sensors", "sound", "timers")


def area_modules() -> list[str]:
    """Names of the API area modules, in the order they contribute."""
    return list(AREAS)


def create(board: Board) -> dict[str, Any]:
    """The names of the ``microbit`` module on ``device``."""
    namespace: dict[str, Any] = {}
    for area in area_modules():
        module = importlib.import_module(f"{api.__name__}.{area}")
        contribute = getattr(module, "contribute", None)
        if contribute is not None:
            contribute(board, namespace)
    return namespace
