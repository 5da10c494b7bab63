"""The board's one audio output: what pin 0 (and, on V2, the speaker) sounds, in board time.

Music (and later speech and sound effects) tells the stream the frequency it plays
from an instant on (``set_tone``), stamped with the board clock, so a headless run
produces its audio in virtual time. Samples are rendered only for attached sinks
(``attach``): a board nobody listens to keeps one number, not a growing buffer.

Published: ``audio`` → ``{"freq": Hz or None, "t": ms since boot (µs precision)}`` on
every change, which hosts render themselves (``ubit.sim.audio.recorder``).
"""

from __future__ import annotations

from typing import Any

from ubit.sim.audio.recorder import Sink, ToneRenderer
from ubit.sim.parts.base import Part, Publish

SENSORS: tuple = ()  # an output: nothing for the host to set


class AudioStream(Part):
    """The frequency the board outputs now, its changes published, optionally rendered."""

    part_id = "audio"

    def __init__(self, now_us: Any, publish: Publish | None = None) -> None:
        super().__init__(publish)
        self._now_us = now_us
        self.freq: float | None = None
        self.since_us = 0
        self._renderers: dict[int, ToneRenderer] = {}

    def set_tone(self, freq: float | None, at_us: int | None = None) -> None:
        """From ``at_us`` (default now) the output plays ``freq`` Hz; None or ≤ 0 is silence."""
        if freq is not None and freq <= 0:
            freq = None
        t_us = self._now_us() if at_us is None else at_us
        if freq == self.freq:
            return
        for renderer in self._renderers.values():
            renderer.change(t_us / 1000, freq)
        self.freq, self.since_us = freq, t_us
        self.changed({"freq": freq, "t": t_us / 1000})

    def attach(self, sink: Sink) -> None:
        """Send rendered samples to ``sink`` from now on (earlier time is silence)."""
        renderer = ToneRenderer(sink, start_ms=self._now_us() / 1000)
        renderer.freq = self.freq
        self._renderers[id(sink)] = renderer

    def detach(self, sink: Sink) -> None:
        """Stop rendering for ``sink``."""
        self._renderers.pop(id(sink), None)

    def flush(self, until_us: int | None = None) -> None:
        """Render up to ``until_us`` (default now) for every sink, e.g. for live playback."""
        t_ms = (self._now_us() if until_us is None else until_us) / 1000
        for renderer in self._renderers.values():
            renderer.render_to(t_ms)


def of(device: Any) -> AudioStream:
    """The board's audio stream, made on first use."""
    return device.part("audio", lambda: AudioStream(device.clock.now_us, device.publish))
