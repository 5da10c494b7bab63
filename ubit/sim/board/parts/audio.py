"""The board's one audio output: what pin 0 (and, on V2, the speaker) sounds, in board time.

Music sets the tone it plays from an instant on (``set_tone``); speech, sound effects
and audio frames play sample clips on named channels (``play_clip``, ``cut``);
``set_volume`` scales everything. Each change is stamped with the board clock, so a
headless run produces its audio in virtual time. Samples are rendered only for
attached sinks (``attach``): a board nobody listens to keeps no growing buffer.

Published: ``audio`` → one event per change, in the vocabulary of
``ubit.sim.shared.sound.mixer`` (``{"freq", "t"}``, ``{"clip", "rate", "pcm", "t"}``,
``{"cut", "t"}``, ``{"volume", "t"}``), which hosts render themselves.
"""

from __future__ import annotations

import binascii

from ubit.sim.board.parts.base import Part, Publish
from ubit.sim.shared.protocol import AUDIO, PartSpec
from ubit.sim.shared.typenames import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ubit.sim.shared.sound.mixer import Sink, StreamRenderer

# An output with no state: its changes go to the host as ``audio`` messages.
PART = PartSpec("audio", "Audio output", events=(AUDIO,))


class AudioStream(Part):
    """What the board outputs now, its changes published, optionally rendered."""

    part_id = "audio"

    def __init__(self, now_us: Any, publish: Publish | None = None) -> None:
        super().__init__(publish)
        self._now_us = now_us
        self.freq: float | None = None
        self.volume = 1.0
        self.clips: dict[str, int] = {}  # channel -> when its clip ends (µs)
        self._renderers: dict[int, StreamRenderer] = {}

    def _emit(self, at_us: int | None, **fields: Any) -> int:
        t_us = self._now_us() if at_us is None else at_us
        value = {**fields, "t": t_us / 1000}
        for renderer in self._renderers.values():
            renderer.apply(value)
        self.changed(value)
        return t_us

    def snapshot(self) -> dict[str, Any]:
        """Nothing: what the board plays goes out as ``audio`` events."""
        return {}

    def set_tone(self, freq: float | None, at_us: int | None = None) -> None:
        """From ``at_us`` (default now) the output plays ``freq`` Hz; None or ≤ 0 is silence."""
        if freq is not None and freq <= 0:
            freq = None
        if freq == self.freq:
            return
        self._emit(at_us, freq=freq)
        self.freq = freq

    def play_clip(self, pcm: bytes, rate: int, channel: str = "clip",
                  at_us: int | None = None) -> int:
        """Play unsigned 8-bit ``pcm`` at ``rate`` Hz on ``channel`` from ``at_us``; its µs.

        A clip replaces whatever that channel was playing.
        """
        from ubit.sim.shared.sound.mixer import clip_duration_us  # not at every start

        duration = clip_duration_us(len(pcm), rate)
        start = self._emit(at_us, clip=channel, rate=rate,
                           pcm=binascii.b2a_base64(bytes(pcm), newline=False).decode())
        self.clips[channel] = start + duration
        return duration

    def cut(self, channel: str, at_us: int | None = None) -> None:
        """Stop the clip on ``channel`` at ``at_us`` (default now), if one still plays."""
        t_us = self._now_us() if at_us is None else at_us
        if self.clips.get(channel, 0) > t_us:
            self._emit(t_us, cut=channel)
        self.clips.pop(channel, None)

    def set_volume(self, level: float, at_us: int | None = None) -> None:
        """From ``at_us`` everything sounds at ``level`` (0–1) of full volume."""
        if level != self.volume:
            self.volume = level
            self._emit(at_us, volume=level)

    def attach(self, sink: Sink) -> None:
        """Send rendered samples to ``sink`` from now on (earlier time is silence)."""
        from ubit.sim.shared.sound.mixer import StreamRenderer

        renderer = StreamRenderer(sink, start_ms=self._now_us() / 1000)
        renderer.freq = self.freq
        renderer.volume = self.volume
        self._renderers[id(sink)] = renderer

    def detach(self, sink: Sink) -> None:
        """Stop rendering for ``sink``."""
        self._renderers.pop(id(sink), None)

    def flush(self, until_us: int | None = None) -> None:
        """Render up to ``until_us`` (default now) for every sink, e.g. for live playback."""
        t_ms = (self._now_us() if until_us is None else until_us) / 1000
        for renderer in self._renderers.values():
            renderer.render_to(t_ms)


def of(board: Any) -> AudioStream:
    """The board's audio stream."""
    return board.part(PART.id, lambda: AudioStream(board.clock.now_us, board.publish))
