"""Light up strips of coloured NeoPixel LEDs: ``np[0] = (255, 0, 0)`` then ``np.show()``."""

from microbit import _MicroBitDigitalPin
from microbit import ws2812_write as ws2812_write

"""Send raw colour bytes to NeoPixel LEDs (used by ``show``). (V2 only)"""

class NeoPixel:
    """A strip of ``n`` NeoPixel LEDs on a pin; each colour is (red, green, blue), 0-255."""

    ORDER: tuple[int, ...]
    """The order colours are sent in: green, red, blue (white). (V2 only)"""
    pin: _MicroBitDigitalPin
    """The pin the strip is connected to. (V2 only)"""
    n: int
    """The number of LEDs in the strip. (V2 only)"""
    bpp: int
    """Bytes per LED: 3 for RGB, 4 for RGBW. (V2 only)"""
    buf: bytearray
    """The colour bytes waiting to be sent. (V2 only)"""

    def __init__(self, pin: _MicroBitDigitalPin, n: int, bpp: int = 3) -> None:
        """Set up ``n`` LEDs on ``pin``; ``bpp`` is 3 (RGB) or 4 (RGBW) colours per LED."""
    def show(self) -> None:
        """Send the colours to the LEDs, so they light up."""
    def write(self) -> None:
        """Send the colours to the LEDs (the same as ``show``). (V2 only)"""
    def clear(self) -> None:
        """Turn every LED off."""
    def fill(self, colour: tuple[int, ...]) -> None:
        """Set every LED to ``colour``; call ``show()`` to see it. (V2 only)"""
    def __len__(self) -> int:
        """The number of LEDs."""
    def __getitem__(self, index: int) -> tuple[int, ...]:
        """The colour of LED ``index``."""
    def __setitem__(self, index: int, colour: tuple[int, ...]) -> None:
        """Set the colour of LED ``index``, e.g. ``(255, 0, 0)`` for red."""
