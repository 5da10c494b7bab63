"""The V2 on-board speaker: on or off, and the output volume 0–255 (§4 ``set_volume``, §12).

The speaker is enabled at boot; ``off()`` silences only the speaker, not pin 0.
The audio area asks ``playing_on_speaker`` and ``volume`` when it makes sound.
The volume a board starts with is CODAL's and not in the sources; full volume is used.

Published: ``speaker`` → ``{"on": bool, "volume": int}``.
"""

from __future__ import annotations

from typing import Any

from ubit.sim.parts.base import Part, Publish

SENSORS: tuple = ()  # an output: nothing for the host to set
VOLUME_MAX = 255


class Speaker(Part):
    """Whether the speaker sounds, and how loud the board's audio output is."""

    part_id = "speaker"

    def __init__(self, publish: Publish | None = None) -> None:
        super().__init__(publish)
        self.on = True
        self.volume = VOLUME_MAX

    @property
    def playing_on_speaker(self) -> bool:
        """Whether sound goes to the speaker (as well as to the audio pin)."""
        return self.on

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

    def _publish(self) -> None:
        self.changed({"on": self.on, "volume": self.volume})


def of(device: Any) -> Speaker:
    """The board's speaker, made on first use."""
    return device.part("speaker", lambda: Speaker(device.publish))
