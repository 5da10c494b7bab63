"""The V2 on-board speaker: on or off, the output volume 0–255 (§4 ``set_volume``, §12),
and which pin the board's sound goes to.

The speaker is enabled at boot; ``off()`` silences only the speaker, not pin 0. On V2
all sound (music, ``audio``, speech) goes through one mixer to the speaker and to at
most one pin, the one the last ``music``/``audio`` call chose (``pin=None``: none;
``microbit_pin_audio_select``). So the board's audio stream is heard unless the speaker
is off and no pin is chosen; ``update_output`` sets the stream's level from that and the
volume (0–255 as 0–1 of full scale). V1 has no speaker: its sound always goes to a pin.

CODAL starts at full volume; ``set_volume(255)`` asks for half of CODAL's range
(``microbithal_audio.cpp``), which the virtual board plays as full volume too.

Published: ``speaker`` → ``{"on": bool, "volume": int}``.
"""

from __future__ import annotations

from ubit.sim.board.parts.base import Part, Publish
from ubit.sim.shared.protocol import PartSpec
from ubit.sim.shared.typenames import Any

PART = PartSpec("speaker", "Speaker", state=("speaker",))
VOLUME_MAX = 255


class Speaker(Part):
    """Whether the speaker sounds, and how loud the board's audio output is."""

    part_id = "speaker"

    def __init__(self, publish: Publish | None = None) -> None:
        super().__init__(publish)
        self.on = True
        self.volume = VOLUME_MAX
        self.routed: str | None = None  # the pin the sound also goes to (V2 boots with none)

    def set_on(self, on: bool) -> None:
        """Turn the speaker on or off."""
        if on != self.on:
            self.on = on
            self._publish()

    def set_volume(self, volume: int) -> None:
        """The output volume, clamped to 0–255 (no error, §4)."""
        volume = max(0, min(VOLUME_MAX, volume))
        if volume != self.volume:
            self.volume = volume
            self._publish()

    @property
    def level(self) -> float:
        """The audio stream's level: the volume as 0–1, or 0 if nothing can be heard."""
        if not (self.on or self.routed is not None):
            return 0.0
        return self.volume / VOLUME_MAX

    def snapshot(self) -> dict[str, Any]:
        """``speaker``: on or off, and the volume 0-255."""
        return {"speaker": {"on": self.on, "volume": self.volume}}

    def _publish(self) -> None:
        self.changed(self.snapshot()["speaker"])


def of(board: Any) -> Speaker:
    """The board's speaker (V1 has none: there it only keeps the volume for the stream)."""
    return board.part(PART.id, lambda: Speaker(board.publish))


def update_output(board: Any) -> None:
    """Set the board's audio stream to the level the speaker, pin and volume give."""
    from ubit.sim.board.parts import audio as audio_out

    audio_out.of(board).set_volume(of(board).level)


def route(board: Any, pin: str | None) -> None:
    """Sound goes to ``pin`` (and the speaker if on) from now; None: the speaker alone."""
    speaker = of(board)
    if pin != speaker.routed:
        speaker.routed = pin
        update_output(board)
