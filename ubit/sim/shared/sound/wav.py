"""WAV files of the board's audio: signed 16-bit mono PCM through the standard ``wave`` module."""

from __future__ import annotations

import sys
import wave
from array import array
from pathlib import Path

from ubit.sim.shared.sound import synth


def wav_bytes(samples: array, rate: int = synth.SAMPLE_RATE) -> bytes:
    """``samples`` (signed 16-bit) as the bytes of a mono WAV file at ``rate`` Hz."""
    import io

    data = io.BytesIO()
    with wave.open(data, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(synth.SAMPLE_WIDTH)
        out.setframerate(rate)
        out.writeframes(synth.to_bytes(samples))
    return data.getvalue()


def read_wav(path: str | Path) -> tuple[int, array]:
    """The sample rate and samples of a mono 16-bit WAV file (as ``write_wav`` makes)."""
    with wave.open(str(path), "rb") as src:
        if src.getnchannels() != 1 or src.getsampwidth() != synth.SAMPLE_WIDTH:
            raise ValueError(f"{path}: not a mono 16-bit WAV file")
        rate = src.getframerate()
        data = src.readframes(src.getnframes())
    samples = array("h")
    samples.frombytes(data)
    if sys.byteorder == "big":  # pragma: no cover
        samples.byteswap()
    return rate, samples
