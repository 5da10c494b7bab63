"""V2's built-in sounds, ``Sound.GIGGLE`` … ``Sound.YAWN`` (reference §13).

Objects of type ``MicroBitSound`` that print as ``Sound('giggle')``; ``audio.play``
hands their lower-case name to the synthesiser, which knows each one's sound
expression (``ubit.sim.shared.sound.effects.BUILTIN_SOUNDS``).
"""

from __future__ import annotations

from ubit.sim.micropython.api.buttons import instance, native
from ubit.sim.shared.typenames import Any

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
