"""Samples from notes: the board's square-wave output at one fixed rate, deterministically.

Pure functions, no board state. Samples are signed 16-bit mono at ``SAMPLE_RATE``.
The micro:bit plays a note as a pulse wave on the pin (§19.1: V1 PWM duty 128/1024,
V2 the audio mixer's analog value 128 of 1023), so the default duty is 12.5 %. The
wave is centred on zero, as the coupling of a speaker or headphones makes it.
"""

from __future__ import annotations

import math
import sys
from array import array

SAMPLE_RATE = 16_000  # Hz: well above twice the highest note (c8 ≈ 4.2 kHz)
SAMPLE_WIDTH = 2  # bytes per sample (signed 16-bit)
FULL_SCALE = 32767
DUTY = 128 / 1024  # §19.1: the firmware's duty cycle for notes


def samples_for(duration_ms: float) -> int:
    """How many samples ``duration_ms`` lasts."""
    return max(0, round(duration_ms * SAMPLE_RATE / 1000))


def silence(duration_ms: float) -> array:
    """``duration_ms`` of silence."""
    return array("h", bytes(SAMPLE_WIDTH * samples_for(duration_ms)))


def square_wave(freq_hz: float, duration_ms: float, volume: float = 1.0,
                duty: float = DUTY, phase: float = 0.0) -> array:
    """A pulse wave of ``freq_hz`` for ``duration_ms``, ``volume`` 0–1, starting at ``phase``."""
    return pulse_wave(freq_hz, samples_for(duration_ms), volume, duty, phase)


def pulse_wave(freq_hz: float, count: int, volume: float = 1.0, duty: float = DUTY,
               phase: float = 0.0) -> array:
    """``count`` samples of a pulse wave (``square_wave`` by sample count).

    ``phase`` is in periods (0 = the start of a high pulse), so a long tone can be
    rendered in pieces without a click. A non-positive frequency gives silence.
    """
    if freq_hz <= 0 or volume <= 0 or not 0 < duty < 1:
        return array("h", bytes(SAMPLE_WIDTH * count))
    volume = min(1.0, volume)
    # levels with a zero mean: high for ``duty`` of each period, low for the rest
    high = round(FULL_SCALE * volume * (1 - duty))
    low = -round(FULL_SCALE * volume * duty)
    step = freq_hz / SAMPLE_RATE  # periods per sample
    out = array("h", [low]) * count
    # fill each high pulse as a slice: fast enough for ≥ 50× real time in pure Python
    k = math.floor(phase)
    while True:
        start = math.ceil((k - phase) / step)
        if start >= count:
            break
        # at least one sample per pulse, so high notes keep every period (and their pitch)
        end = min(count, max(start + 1, math.ceil((k + duty - phase) / step)))
        if end > max(start, 0):
            first = max(start, 0)
            out[first:end] = array("h", [high]) * (end - first)
        k += 1
    return out


def end_phase(freq_hz: float, count: int, phase: float = 0.0) -> float:
    """The phase (in periods, 0–1) a wave started at ``phase`` reaches after ``count`` samples."""
    if freq_hz <= 0:
        return 0.0
    return (phase + count * freq_hz / SAMPLE_RATE) % 1.0


def to_bytes(samples: array) -> bytes:
    """Little-endian bytes of ``samples`` (as WAV files store them)."""
    data = array("h", samples)
    if sys.byteorder == "big":  # pragma: no cover
        data.byteswap()
    return data.tobytes()


def measure_frequency(samples: array) -> float | None:
    """The frequency of a periodic signal from its rising zero crossings, or None."""
    rising = [i for i in range(1, len(samples)) if samples[i - 1] < 0 <= samples[i]]
    if len(rising) < 2:
        return None
    return (len(rising) - 1) * SAMPLE_RATE / (rising[-1] - rising[0])
