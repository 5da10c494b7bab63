"""V2's ``microbit.Sound`` (reference §13) and ``microbit.audio`` on both boards (§4, §15).

``Sound.GIGGLE`` … ``Sound.YAWN`` are objects of type ``MicroBitSound`` that print as
``Sound('giggle')``; ``audio.play`` hands their lower-case name to the synthesiser, which
knows each one's sound expression (``ubit.sim.shared.sound.effects.BUILTIN_SOUNDS``).
``microbit.audio`` is the very module ``import audio`` gives.
"""

from __future__ import annotations

from types import ModuleType
from typing import Any

from ubit.sim.board.board import Board
from ubit.sim.micropython.api.buttons import instance, native
from ubit.sim.micropython.boundary import api
from ubit.sim.micropython.importer import new_module

NAMES = ("giggle", "happy", "hello", "mysterious", "sad", "slide", "soaring", "spring",
         "twinkle", "yawn")  # microbit_sound.c, in its table order


@native("MicroBitSound")
class MicroBitSound:
    """A built-in sound, ``Sound.<NAME>``."""

    __slots__ = ("_name",)

    def __repr__(self) -> str:
        return f"Sound('{self._name}')"


SOUNDS = {name: instance(MicroBitSound, _name=name) for name in NAMES}
for _name, _sound in SOUNDS.items():
    setattr(MicroBitSound, _name.upper(), _sound)


def sound_name(value: Any) -> str | None:
    """The built-in name of a ``Sound`` (the firmware checks the exact type), else None."""
    return value._name if type(value) is MicroBitSound else None


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

    # api: making the names runs the runtime's code, which mustn't use the user's frames
    namespace["__getattr__"], namespace["__dir__"] = api(first_use), api(names)
    return module


def contribute(board: Board, ns: dict[str, Any]) -> None:
    """Add ``audio`` (both boards) and V2's ``Sound``."""
    ns["audio"] = audio_module(board)
    if board.spec.has("speaker"):
        ns["Sound"] = MicroBitSound
