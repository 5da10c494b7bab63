"""The WAV recorder: a board's ``audio`` events collected and rendered on the host.

A board publishes ``audio`` events whenever its output changes (the vocabulary is in
``ubit.sim.shared.sound.mixer``; the board side is ``ubit.sim.board.parts.audio``). The
host renders them itself, so only notes and compact 8-bit clips cross the board's
control socket.
"""

from __future__ import annotations

from array import array
from collections.abc import Mapping

from ubit.sim.shared.protocol import AUDIO, RESET, Message
from ubit.sim.shared.sound import synth
from ubit.sim.shared.sound.mixer import StreamRenderer
from ubit.sim.shared.typenames import Any


class AudioRecorder:
    """Collects a board's ``audio`` events and writes what it played as a WAV file."""

    def __init__(self) -> None:
        self.samples = array("h")
        self.events: list[tuple[float, float | None]] = []  # tone changes: (ms, Hz or None)
        self._renderer = StreamRenderer(lambda _t, chunk: self.samples.extend(chunk))

    def event(self, t_ms: float, freq: float | None) -> None:
        """The tone changed to ``freq`` (None: silent) at ``t_ms`` since boot."""
        self.apply({"t": t_ms, "freq": freq})

    def apply(self, value: Mapping[str, Any]) -> None:
        """Take one published ``audio`` state value."""
        if "freq" in value:
            self.events.append((float(value["t"]), value["freq"]))
        self._renderer.apply(value)

    def listener(self, message: Message) -> None:
        """A board listener (``VirtualBoard.listen``) feeding this recorder."""
        if message["kind"] == AUDIO:
            self.apply(message["event"])
        elif message["kind"] == RESET:  # the board restarted: whatever sounded has stopped
            self._renderer.silence(float(message["t"]))

    def finish(self, end_ms: float | None = None) -> array:
        """All samples up to ``end_ms`` (default: the last event, or the last clip's end)."""
        end = max(end_ms or 0.0, self._renderer.busy_until_ms)
        if end:
            self._renderer.render_to(end)
        return self.samples

    @property
    def duration_ms(self) -> float:
        """How long the recording is so far."""
        return len(self.samples) * 1000 / synth.SAMPLE_RATE

    def wav(self, end_ms: float | None = None) -> bytes:
        """The recording (up to ``end_ms``, default the last event) as a WAV file's bytes."""
        from ubit.sim.shared.sound.wav import wav_bytes

        return wav_bytes(self.finish(end_ms))
