"""Play tunes and notes on the speaker or on pin 0, e.g. ``music.play(music.NYAN)``."""

from microbit import _MicroBitDigitalPin, pin0

def play(music: str | list[str] | tuple[str, ...], pin: _MicroBitDigitalPin | None = pin0,
         wait: bool = True, loop: bool = False) -> None:
    """Play a note like ``'C4:4'`` or a list of notes; waits until the tune ends.

    Notes are written ``NOTE[#|b][octave][:duration]``, e.g. ``'c#5:2'``; ``'r'`` is a rest.
    """

def pitch(frequency: int, duration: int = -1, pin: _MicroBitDigitalPin | None = pin0,
          wait: bool = True) -> None:
    """Play a tone of ``frequency`` hertz (Hz) for ``duration`` ms (-1: until stopped)."""

def stop(pin: _MicroBitDigitalPin | None = pin0, /) -> None:
    """Stop the music playing on the speaker and on ``pin``."""

def set_tempo(*, ticks: int = 0, bpm: int = 0) -> None:
    """Set the speed: ``bpm`` beats per minute and ``ticks`` per beat (0 leaves it as is)."""

def get_tempo() -> tuple[int, int]:
    """The speed as ``(bpm, ticks)``: beats per minute and ticks per beat."""

def reset() -> None:
    """Reset the speed (120 bpm, 4 ticks), the octave (4) and the note length (4 ticks)."""

DADADADUM: tuple[str, ...]
"""Four famous notes: the start of Beethoven's Symphony No. 5."""
ENTERTAINER: tuple[str, ...]
"""The start of Scott Joplin's piano rag The Entertainer."""
PRELUDE: tuple[str, ...]
"""The start of Bach's Prelude No. 1 in C major."""
ODE: tuple[str, ...]
"""Beethoven's Ode to Joy tune."""
NYAN: tuple[str, ...]
"""The Nyan Cat tune."""
RINGTONE: tuple[str, ...]
"""A phone-style ringing tune."""
FUNK: tuple[str, ...]
"""A funk bass riff."""
BLUES: tuple[str, ...]
"""A 12-bar blues bass line."""
BIRTHDAY: tuple[str, ...]
"""The Happy Birthday tune."""
WEDDING: tuple[str, ...]
"""Wagner's wedding march (Here Comes the Bride)."""
FUNERAL: tuple[str, ...]
"""Chopin's funeral march."""
PUNCHLINE: tuple[str, ...]
"""A few notes to follow a joke."""
PYTHON: tuple[str, ...]
"""Sousa's Liberty Bell march, the Monty Python tune."""
BADDY: tuple[str, ...]
"""A villain's entrance, as in old silent films."""
CHASE: tuple[str, ...]
"""Chase music, as in old silent films."""
BA_DING: tuple[str, ...]
"""A short two-note ping, to say something happened."""
WAWAWAWAA: tuple[str, ...]
"""A falling 'you lost' trombone."""
JUMP_UP: tuple[str, ...]
"""A rising blip for a game character jumping."""
JUMP_DOWN: tuple[str, ...]
"""A falling blip for a game character landing."""
POWER_UP: tuple[str, ...]
"""A rising fanfare for winning something in a game."""
POWER_DOWN: tuple[str, ...]
"""A falling fanfare for losing something in a game."""
