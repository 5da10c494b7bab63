"""V2's ``microbit.Sound`` (reference §13) and ``microbit.audio`` on both boards (§4, §15).

``microbit.audio`` is the very module ``import audio`` gives; the sounds themselves
are in ``builtinsounds``.
"""

from __future__ import annotations

from types import ModuleType

from ubit.sim.board.board import Board
from ubit.sim.micropython.api.builtinsounds import MicroBitSound
from ubit.sim.micropython.boundary import api
from ubit.sim.micropython.importer import new_module
from ubit.sim.shared.typenames import Any


def audio_module(board: Board) -> ModuleType:
    """The board's ``audio`` module (made once, shared by ``import audio``).

    ``from microbit import *`` puts it in every program, but few use it: its names are
    made on first use (a module ``__getattr__``), which keeps them off every start-up.
    """
    module = board.modules.get("audio")
    if module is not None:
        return module
    module = board.modules["audio"] = new_module("audio")
    namespace = module.__dict__

    def fill() -> None:
        from ubit.sim.micropython.modules import audio

        namespace.pop("__getattr__", None)
        namespace.pop("__dir__", None)
        namespace.update(audio.create(board))

    def first_use(name: str) -> Any:
        fill()
        if name not in namespace:
            raise AttributeError(f"module 'audio' has no attribute '{name}'")
        return namespace[name]

    def names() -> list[str]:
        fill()
        return sorted(namespace)

    # api: making the names runs the emulation's code, which mustn't use the user's frames
    namespace["__getattr__"], namespace["__dir__"] = api(first_use), api(names)
    return module


def contribute(board: Board, ns: dict[str, Any]) -> None:
    """Add ``audio`` (both boards) and V2's ``Sound``."""
    ns["audio"] = audio_module(board)
    if board.spec.has("speaker"):
        ns["Sound"] = MicroBitSound
