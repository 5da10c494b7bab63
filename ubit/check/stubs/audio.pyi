"""Play sounds: built-in sounds, sound effects and your own sound samples."""

from typing import Iterable

from microbit import Sound as _Sound
from microbit import _MicroBitDigitalPin, pin0

class AudioFrame:
    """32 sound samples (0-255, 128 is silence), played at 7812 per second."""

    def __init__(self) -> None:
        """Make a silent frame of 32 samples."""
    def copyfrom(self, other: AudioFrame | bytes | bytearray) -> None:
        """Copy up to 32 samples from another frame or from bytes."""
    def __len__(self) -> int:
        """The number of samples: 32."""
    def __getitem__(self, index: int) -> int:
        """The sample at ``index`` (0-31), from 0 to 255."""
    def __setitem__(self, index: int, value: int) -> None:
        """Set the sample at ``index`` (0-31) to ``value`` (0-255)."""

class SoundEffect:
    """A sound effect you design: a tone that changes pitch and volume over time. (V2 only)"""

    WAVEFORM_SINE: int
    """A smooth, soft sound wave."""
    WAVEFORM_SAWTOOTH: int
    """A buzzy sawtooth sound wave."""
    WAVEFORM_TRIANGLE: int
    """A mellow triangle sound wave."""
    WAVEFORM_SQUARE: int
    """A bright square sound wave (the default)."""
    WAVEFORM_NOISE: int
    """Random noise, like a hiss or an explosion."""
    SHAPE_LINEAR: int
    """Change the pitch evenly from start to end."""
    SHAPE_CURVE: int
    """Change the pitch along a curve."""
    SHAPE_LOG: int
    """Change the pitch quickly at first, then slowly (the default)."""
    FX_NONE: int
    """No extra effect (the default)."""
    FX_TREMOLO: int
    """Make the volume wobble."""
    FX_VIBRATO: int
    """Make the pitch wobble."""
    FX_WARBLE: int
    """Make the sound warble."""

    freq_start: int
    """The starting pitch in hertz (Hz), 0-9999."""
    freq_end: int
    """The ending pitch in hertz (Hz), 0-9999."""
    duration: int
    """How long the effect lasts, in milliseconds (ms), 0-9999."""
    vol_start: int
    """The starting volume, 0-255."""
    vol_end: int
    """The ending volume, 0-255."""
    waveform: int
    """The sound wave's shape: one of the ``WAVEFORM_`` constants."""
    fx: int
    """An extra effect: one of the ``FX_`` constants."""
    shape: int
    """How the pitch changes from start to end: one of the ``SHAPE_`` constants."""

    def __init__(self, freq_start: int = 500, freq_end: int = 2500, duration: int = 500,
                 vol_start: int = 255, vol_end: int = 0, waveform: int = 3, fx: int = 0,
                 shape: int = 18) -> None:
        """Make a sound effect: pitches in hertz (Hz), ``duration`` in ms, volumes 0-255."""
    def copy(self) -> SoundEffect:
        """A copy of this sound effect that you can change."""

def play(source: _Sound | SoundEffect | Iterable[SoundEffect] | Iterable[AudioFrame],
         wait: bool = True, pin: _MicroBitDigitalPin | None = pin0,
         return_pin: _MicroBitDigitalPin | None = None) -> None:
    """Play a sound (``Sound.HAPPY``), a sound effect or audio frames, and wait for the end.

    On V1 only audio frames can be played.
    """

def is_playing() -> bool:
    """Whether a sound is playing right now."""

def stop() -> None:
    """Stop the audio frames that are playing."""
