"""The board's audio stream rendered into samples: a tone, sample clips, and a volume.

A board describes what it outputs as timed events (``ubit.sim.board.parts.audio``):

* ``{"t": ms, "freq": Hz | None}`` — the pin/speaker tone from ``t`` (music);
* ``{"t": ms, "clip": channel, "rate": Hz, "pcm": base64}`` — unsigned 8-bit samples
  (centred on 128) that start at ``t`` on ``channel`` (speech, sound effects, audio
  frames), replacing what that channel was playing;
* ``{"t": ms, "cut": channel}`` — that channel stops at ``t``;
* ``{"t": ms, "volume": 0..1}`` — the output level from ``t`` (``set_volume``).

``StreamRenderer`` turns them into consecutive signed 16-bit samples at
``synth.SAMPLE_RATE``, everything playing at once mixed, each sample at its board time,
so a recording never drifts however it is split.
"""

from __future__ import annotations

import binascii
import math
from array import array
from collections.abc import Callable, Mapping
from typing import Any

from ubit.sim.shared.sound import synth

Sink = Callable[[float, array], None]  # (start time in ms, samples)
CLIP_SCALE = 256  # an 8-bit step in 16-bit samples
# A sample clip sounds at this share of full scale, a note's pulse wave at full scale:
# the firmware's notes are narrow pulses, so they carry less energy than this anyway.
CLIP_LEVEL = 0.8


# 8-bit sample value -> its 16-bit sample (a table: mapping it is C-speed work)
_LEVELS = [round((value - 128) * CLIP_SCALE * CLIP_LEVEL) for value in range(256)]


def resample(pcm: bytes, rate: int, to_rate: int) -> bytes:
    """``pcm`` at ``rate`` Hz as the nearest earlier samples at ``to_rate`` Hz.

    Output sample ``i`` is input sample ``i * rate // to_rate``. With the ratio reduced
    to ``p/q``, output samples ``k, k+q, k+2q…`` are input samples ``o, o+p, o+2p…`` for
    one offset ``o``, so the work is ``q`` slice copies instead of a loop per sample.
    """
    count = len(pcm) * to_rate // rate
    if rate == to_rate or not count:
        return bytes(pcm[:count])
    step = math.gcd(rate, to_rate)
    p, q = rate // step, to_rate // step
    out = bytearray(count)
    for k in range(min(q, count)):
        wanted = len(range(k, count, q))
        out[k::q] = pcm[k * p // q::p][:wanted]
    return bytes(out)


def clip_samples(pcm: bytes, rate: int) -> array:
    """Unsigned 8-bit ``pcm`` at ``rate`` Hz as signed 16-bit samples at the stream's rate."""
    return array("h", map(_LEVELS.__getitem__, resample(pcm, rate, synth.SAMPLE_RATE)))


def clip_duration_us(pcm_length: int, rate: int) -> int:
    """How long ``pcm_length`` samples at ``rate`` Hz last, in µs."""
    return pcm_length * 1_000_000 // rate


class StreamRenderer:
    """Renders a board's audio events into consecutive samples for one sink."""

    def __init__(self, sink: Sink, start_ms: float = 0.0) -> None:
        self.sink = sink
        self.freq: float | None = None
        self.volume = 1.0
        self.written = self._index(start_ms)  # index of the next sample
        self._phase = 0.0
        self._clips: dict[str, tuple[int, array]] = {}  # channel -> (first index, samples)

    @staticmethod
    def _index(t_ms: float) -> int:
        return round(t_ms * synth.SAMPLE_RATE / 1000)

    def render_to(self, t_ms: float) -> None:
        """Render everything that plays up to ``t_ms``."""
        end = self._index(t_ms)
        count = end - self.written
        if count <= 0:
            return
        start = self.written
        freq = self.freq or 0.0
        out = synth.pulse_wave(freq, count, 1.0, phase=self._phase)
        self._phase = synth.end_phase(freq, count, self._phase)
        for channel, (first, samples) in list(self._clips.items()):
            self._mix(out, start, first, samples)
            if first + len(samples) <= end:
                del self._clips[channel]
        if self.volume != 1.0:
            level = self.volume
            out = array("h", [round(value * level) for value in out])
        self.written = end
        self.sink(start * 1000 / synth.SAMPLE_RATE, out)

    @staticmethod
    def _mix(out: array, start: int, first: int, samples: array) -> None:
        lo = max(start, first)
        hi = min(start + len(out), first + len(samples))
        if hi <= lo:
            return
        a, b = lo - start, lo - first
        n = hi - lo
        if not any(out[a:a + n]):  # the common case: nothing else sounds, just copy
            out[a:a + n] = samples[b:b + n]
            return
        out[a:a + n] = array("h", [max(-32768, min(32767, x + y))
                                   for x, y in zip(out[a:a + n], samples[b:b + n], strict=True)])

    def change(self, t_ms: float, freq: float | None) -> None:
        """From ``t_ms`` on the tone is ``freq`` (None: silence)."""
        self.render_to(t_ms)
        if freq != self.freq:
            self.freq = freq
            self._phase = 0.0  # a new note restarts the PWM period, as on the board

    def apply(self, value: Mapping[str, Any]) -> None:
        """Take one ``audio`` event (see the module docstring)."""
        t_ms = float(value["t"])
        if "freq" in value:
            self.change(t_ms, value["freq"])
        elif "clip" in value:
            self.render_to(t_ms)
            pcm = binascii.a2b_base64(value["pcm"])
            self._clips[value["clip"]] = (self._index(t_ms), clip_samples(pcm, value["rate"]))
        elif "cut" in value:
            self.render_to(t_ms)
            self._clips.pop(value["cut"], None)
        elif "volume" in value:
            self.render_to(t_ms)
            self.volume = max(0.0, min(1.0, float(value["volume"])))

    def silence(self, t_ms: float) -> None:
        """Everything stops at ``t_ms`` (the board was reset)."""
        self.change(t_ms, None)
        self._clips.clear()

    @property
    def busy_until_ms(self) -> float:
        """When the last clip now playing ends (0 if none)."""
        ends = [first + len(samples) for first, samples in self._clips.values()]
        return max(ends, default=0) * 1000 / synth.SAMPLE_RATE
