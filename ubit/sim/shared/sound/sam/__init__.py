"""SAM, the Software Automated Mouth, as the micro:bit firmware's ``speech`` module runs it.

Pure Python (standard library only), so the board process can use it. ``translate``
is the reciter (English to phonemes); ``synthesize`` parses phonemes and renders them
to SAM's output bytes; ``ubit.sim.shared.sound.sam.pcm`` makes those into V1's or V2's samples.
The C original is Sebastian Macke's port of SAM in the firmwares' ``lib/sam``.
"""

from __future__ import annotations

from ubit.sim.shared.sound.sam import pcm
from ubit.sim.shared.sound.sam.prosody import SamError, prepare
from ubit.sim.shared.sound.sam.reciter import MAX_TEXT, translate
from ubit.sim.shared.sound.sam.render import Renderer

__all__ = ["MAX_TEXT", "SamError", "Speech", "synthesize", "translate"]
DEFAULT_PITCH, DEFAULT_SPEED, DEFAULT_MOUTH, DEFAULT_THROAT = 64, 72, 128, 128  # sam.h


class Speech:
    """What SAM produced: its output bytes, their kinds, and the debug printout."""

    def __init__(self, values: bytes, kinds: bytes, previous: int, groups: int = 0,
                 log: str = "") -> None:
        self.values, self.kinds = values, kinds
        self.previous = previous  # the kind of output before the first (SAM keeps it)
        self.groups = groups  # breath groups rendered
        self.log = log

    @property
    def last_kind(self) -> int:
        """The kind of the last output byte, which the next speech starts from."""
        return self.kinds[-1] if self.kinds else self.previous

    def v1_samples(self) -> tuple[bytes, int]:
        """Samples and rate as the V1 plays them."""
        return pcm.v1_samples(self.values, self.kinds, self.previous)

    def v2_samples(self, mode: int = 1, volume: int = 4) -> tuple[bytes, int]:
        """Samples and rate as the V2 plays them in ``mode`` at ``volume``."""
        return pcm.v2_samples(self.values, self.kinds, mode, volume, self.previous)


def synthesize(phonemes: str | bytes, *, pitch: int = DEFAULT_PITCH, speed: int = DEFAULT_SPEED,
               mouth: int = DEFAULT_MOUTH, throat: int = DEFAULT_THROAT, sing: bool = False,
               debug: bool = False, previous: int = 0) -> Speech:
    """Render SAM phonemes; raises ``SamError`` (a ValueError) with SAM's message."""
    data = phonemes.encode("utf-8", "surrogateescape") if isinstance(phonemes, str) else phonemes
    log: list[str] | None = [] if debug else None
    groups = prepare(bytes(data), pitch & 0xFF, log)
    renderer = Renderer(speed, mouth, throat, sing, log)
    for group in groups:
        renderer.render(group)
    return Speech(bytes(renderer.values), bytes(renderer.kinds), previous,
                  sum(1 for group in groups if group), "".join(log) if log else "")
