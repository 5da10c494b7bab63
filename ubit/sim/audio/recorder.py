"""From note events to samples: the renderer the board's stream uses, and the WAV recorder.

A board publishes ``audio`` → ``{"freq": Hz or None, "t": ms}`` whenever its output
changes (see ``ubit.sim.parts.speaker_stream``). The host renders those events itself
with ``synth``, so no bulk samples cross the board's control socket.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from ubit.sim.audio import synth

Sink = Callable[[float, array], None]  # (start time in ms, samples)


class ToneRenderer:
    """Renders a sequence of (time, frequency) changes into consecutive samples.

    Sample ``n`` is at ``n / SAMPLE_RATE`` seconds since boot, so every chunk is
    stamped with the board's time and notes never drift however they are split.
    """

    def __init__(self, sink: Sink, volume: float = 1.0, start_ms: float = 0.0) -> None:
        self.sink = sink
        self.volume = volume
        self.freq: float | None = None
        self.written = round(start_ms * synth.SAMPLE_RATE / 1000)  # index of the next sample
        self._phase = 0.0

    def render_to(self, t_ms: float) -> None:
        """Render the current tone up to ``t_ms``."""
        end = round(t_ms * synth.SAMPLE_RATE / 1000)
        count = end - self.written
        if count <= 0:
            return
        start_ms = self.written * 1000 / synth.SAMPLE_RATE
        freq = self.freq or 0.0
        self.sink(start_ms, synth.pulse_wave(freq, count, self.volume, phase=self._phase))
        self._phase = synth.end_phase(freq, count, self._phase)
        self.written = end

    def change(self, t_ms: float, freq: float | None) -> None:
        """From ``t_ms`` on the output plays ``freq`` (None: silence)."""
        self.render_to(t_ms)
        if freq != self.freq:
            self.freq = freq
            self._phase = 0.0  # a new note restarts the PWM period, as on the board


class AudioRecorder:
    """Collects a board's ``audio`` events and writes what it played as a WAV file."""

    def __init__(self) -> None:
        self.samples = array("h")
        self.events: list[tuple[float, float | None]] = []
        self._renderer = ToneRenderer(lambda _t, chunk: self.samples.extend(chunk))

    def event(self, t_ms: float, freq: float | None) -> None:
        """The output changed to ``freq`` (None: silent) at ``t_ms`` since boot."""
        self.events.append((t_ms, freq))
        self._renderer.change(t_ms, freq)

    def apply(self, value: Mapping[str, Any]) -> None:
        """Take one published ``audio`` state value."""
        self.event(float(value["t"]), value.get("freq"))

    def listener(self, part: str, value: Any, t: int) -> None:
        """A host state listener (``VirtualBoard(on_state=...)``) feeding this recorder."""
        if part == "audio":
            self.apply(value)
        elif part == "reset":  # the board restarted: whatever sounded has stopped
            self.event(float(t), None)

    def finish(self, end_ms: float | None = None) -> array:
        """All samples up to ``end_ms`` (default: the last event)."""
        if end_ms is not None:
            self._renderer.render_to(end_ms)
        return self.samples

    @property
    def duration_ms(self) -> float:
        """How long the recording is so far."""
        return len(self.samples) * 1000 / synth.SAMPLE_RATE

    def write(self, path: str | Path, end_ms: float | None = None) -> None:
        """Save the recording (up to ``end_ms``, default the last event) as a WAV file."""
        from ubit.sim.wav import write_wav

        write_wav(path, self.finish(end_ms))
