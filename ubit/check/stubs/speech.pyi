"""Make the micro:bit talk and sing, e.g. ``speech.say('hello')``."""

from microbit import _MicroBitDigitalPin, pin0

def translate(words: str) -> str:
    """Turn English words (up to 80 letters) into the phonemes the speech module uses."""

def say(words: str, *, pitch: int = 64, speed: int = 72, mouth: int = 128, throat: int = 128,
        debug: bool = False, mode: int = 1, volume: int = 4,
        pin: _MicroBitDigitalPin | None = pin0) -> None:
    """Speak English words; ``pitch``, ``speed``, ``mouth`` and ``throat`` are 0-255.

    V2-only parameters: mode, volume, pin.
    """

def pronounce(phonemes: str, *, pitch: int = 64, speed: int = 72, mouth: int = 128,
              throat: int = 128, debug: bool = False, mode: int = 1, volume: int = 4,
              pin: _MicroBitDigitalPin | None = pin0) -> None:
    """Speak phonemes such as ``'/HEH4LOW'`` exactly; settings as for ``say``.

    V2-only parameters: mode, volume, pin.
    """

def sing(phonemes: str, *, pitch: int = 64, speed: int = 72, mouth: int = 128,
         throat: int = 128, debug: bool = False, mode: int = 1, volume: int = 4,
         pin: _MicroBitDigitalPin | None = pin0) -> None:
    """Sing phonemes; ``#`` and a number set the note, e.g. ``'#115DOWWWW'``.

    V2-only parameters: mode, volume, pin.
    """
