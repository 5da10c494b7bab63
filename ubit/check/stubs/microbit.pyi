"""Everything on the micro:bit itself: display, buttons, pins, sensors and more."""

from typing import Any, Callable, Iterable, overload

import audio as audio

"""Play sounds and sound effects: the same module as ``import audio``."""

# --- Image ------------------------------------------------------------------------------

class Image:
    """A picture for the 5x5 LED display: each pixel has a brightness from 0 (off) to 9."""

    @overload
    def __init__(self) -> None:
        """Make a blank 5x5 image."""
    @overload
    def __init__(self, string: str, /) -> None:
        """Make an image from rows of digits 0-9 separated by ``:``, e.g. ``'90009:...'``."""
    @overload
    def __init__(self, width: int, height: int, /) -> None:
        """Make a blank image ``width`` pixels wide and ``height`` pixels tall."""
    @overload
    def __init__(self, width: int, height: int, buffer: bytes | bytearray, /) -> None:
        """Make an image from ``width * height`` brightness values (0-9), row by row."""
    def width(self) -> int:
        """The number of columns in the image."""
    def height(self) -> int:
        """The number of rows in the image."""
    def get_pixel(self, x: int, y: int) -> int:
        """The brightness (0-9) of the pixel at column ``x``, row ``y``."""
    def set_pixel(self, x: int, y: int, value: int) -> None:
        """Set the pixel at column ``x``, row ``y`` to brightness ``value`` (0-9).

        Built-in images like ``Image.HEART`` can't be changed: use ``.copy()`` first.
        """
    def fill(self, value: int) -> None:
        """Set every pixel to brightness ``value`` (0-9)."""
    def blit(self, src: Image, x: int, y: int, w: int, h: int, xdest: int = 0,
             ydest: int = 0) -> None:
        """Copy the ``w`` x ``h`` area at (``x``, ``y``) of ``src`` into this image at
        (``xdest``, ``ydest``)."""
    def crop(self, x: int, y: int, w: int, h: int) -> Image:
        """A new image of the ``w`` x ``h`` area starting at column ``x``, row ``y``."""
    def shift_left(self, n: int) -> Image:
        """A new image moved ``n`` columns to the left."""
    def shift_right(self, n: int) -> Image:
        """A new image moved ``n`` columns to the right."""
    def shift_up(self, n: int) -> Image:
        """A new image moved ``n`` rows up."""
    def shift_down(self, n: int) -> Image:
        """A new image moved ``n`` rows down."""
    def copy(self) -> Image:
        """A copy of the image that you can change."""
    def invert(self) -> Image:
        """A new image with every brightness flipped (9 becomes 0, 0 becomes 9)."""
    def __add__(self, other: Image) -> Image:
        """A new image with the brightness of two same-size images added (up to 9)."""
    def __sub__(self, other: Image) -> Image:
        """A new image with the second image's brightness taken away (down to 0)."""
    def __mul__(self, n: float) -> Image:
        """A new image with every brightness multiplied by ``n`` (up to 9)."""
    def __truediv__(self, n: float) -> Image:
        """A new image with every brightness divided by ``n``."""

    HEART: Image
    """A heart."""
    HEART_SMALL: Image
    """A small heart."""
    HAPPY: Image
    """A happy face."""
    SMILE: Image
    """A smiling mouth."""
    SAD: Image
    """A sad face."""
    CONFUSED: Image
    """A confused face."""
    ANGRY: Image
    """An angry face."""
    ASLEEP: Image
    """A sleeping face."""
    SURPRISED: Image
    """A surprised face."""
    SILLY: Image
    """A silly face."""
    FABULOUS: Image
    """A face with sunglasses."""
    MEH: Image
    """An unimpressed face."""
    YES: Image
    """A tick."""
    NO: Image
    """A cross."""
    CLOCK12: Image
    """A clock hand pointing to 12 o'clock."""
    CLOCK1: Image
    """A clock hand pointing to 1 o'clock."""
    CLOCK2: Image
    """A clock hand pointing to 2 o'clock."""
    CLOCK3: Image
    """A clock hand pointing to 3 o'clock."""
    CLOCK4: Image
    """A clock hand pointing to 4 o'clock."""
    CLOCK5: Image
    """A clock hand pointing to 5 o'clock."""
    CLOCK6: Image
    """A clock hand pointing to 6 o'clock."""
    CLOCK7: Image
    """A clock hand pointing to 7 o'clock."""
    CLOCK8: Image
    """A clock hand pointing to 8 o'clock."""
    CLOCK9: Image
    """A clock hand pointing to 9 o'clock."""
    CLOCK10: Image
    """A clock hand pointing to 10 o'clock."""
    CLOCK11: Image
    """A clock hand pointing to 11 o'clock."""
    ARROW_N: Image
    """An arrow pointing north (up)."""
    ARROW_NE: Image
    """An arrow pointing north-east."""
    ARROW_E: Image
    """An arrow pointing east (right)."""
    ARROW_SE: Image
    """An arrow pointing south-east."""
    ARROW_S: Image
    """An arrow pointing south (down)."""
    ARROW_SW: Image
    """An arrow pointing south-west."""
    ARROW_W: Image
    """An arrow pointing west (left)."""
    ARROW_NW: Image
    """An arrow pointing north-west."""
    TRIANGLE: Image
    """A triangle pointing up."""
    TRIANGLE_LEFT: Image
    """A triangle in the left corner."""
    CHESSBOARD: Image
    """Alternate LEDs lit, like a chessboard."""
    DIAMOND: Image
    """A diamond."""
    DIAMOND_SMALL: Image
    """A small diamond."""
    SQUARE: Image
    """A square."""
    SQUARE_SMALL: Image
    """A small square."""
    RABBIT: Image
    """A rabbit."""
    COW: Image
    """A cow."""
    MUSIC_CROTCHET: Image
    """A crotchet (quarter note)."""
    MUSIC_QUAVER: Image
    """A quaver (eighth note)."""
    MUSIC_QUAVERS: Image
    """A pair of quavers."""
    PITCHFORK: Image
    """A pitchfork."""
    XMAS: Image
    """A Christmas tree."""
    PACMAN: Image
    """The Pac-Man arcade character."""
    TARGET: Image
    """A target."""
    TSHIRT: Image
    """A T-shirt."""
    ROLLERSKATE: Image
    """A roller skate."""
    DUCK: Image
    """A duck."""
    HOUSE: Image
    """A house."""
    TORTOISE: Image
    """A tortoise."""
    BUTTERFLY: Image
    """A butterfly."""
    STICKFIGURE: Image
    """A stick figure."""
    GHOST: Image
    """A ghost."""
    SWORD: Image
    """A sword."""
    GIRAFFE: Image
    """A giraffe."""
    SKULL: Image
    """A skull."""
    UMBRELLA: Image
    """An umbrella."""
    SNAKE: Image
    """A snake."""
    SCISSORS: Image
    """A pair of scissors."""
    ALL_CLOCKS: tuple[Image, ...]
    """The 12 clock images in order, from ``CLOCK12`` round to ``CLOCK11``."""
    ALL_ARROWS: tuple[Image, ...]
    """The 8 arrow images in order, clockwise from ``ARROW_N``."""

# --- Sound and SoundEvent -----------------------------------------------------------------

class Sound:
    """Built-in sounds to play with ``audio.play(Sound.HAPPY)``. (V2 only)"""

    GIGGLE: Sound
    """A giggle."""
    HAPPY: Sound
    """A happy sound."""
    HELLO: Sound
    """A greeting."""
    MYSTERIOUS: Sound
    """A mysterious sound."""
    SAD: Sound
    """A sad sound."""
    SLIDE: Sound
    """A sliding sound."""
    SOARING: Sound
    """A soaring sound."""
    SPRING: Sound
    """A springy sound."""
    TWINKLE: Sound
    """A twinkling sound."""
    YAWN: Sound
    """A yawn."""

class SoundEvent:
    """Sounds the microphone can notice: ``SoundEvent.LOUD`` or ``SoundEvent.QUIET``. (V2 only)"""

    LOUD: SoundEvent
    """The sound got loud (above the loud threshold)."""
    QUIET: SoundEvent
    """The sound got quiet (below the quiet threshold)."""

# --- the display ----------------------------------------------------------------------------

class _MicroBitDisplay:
    """The 5x5 LED display: columns ``x`` and rows ``y`` from 0 to 4, brightness 0-9."""

    def show(self, image: Image | str | float | Iterable[Image | str], delay: int = 400, *,
             wait: bool = True, loop: bool = False, clear: bool = False) -> None:
        """Show an image, a number, or letters one at a time (``delay`` ms each)."""
    def scroll(self, text: str | float, delay: int = 150, *, wait: bool = True,
               loop: bool = False, monospace: bool = False) -> None:
        """Scroll text or a number across the display, one column every ``delay`` ms."""
    def clear(self) -> None:
        """Turn every LED off."""
    def get_pixel(self, x: int, y: int) -> int:
        """The brightness (0-9) of the LED at column ``x``, row ``y``."""
    def set_pixel(self, x: int, y: int, value: int) -> None:
        """Set the LED at column ``x``, row ``y`` to brightness ``value`` (0-9)."""
    def on(self) -> None:
        """Turn the display back on after ``display.off()``."""
    def off(self) -> None:
        """Turn the display off, freeing its pins (3, 4, 6, 7, 10) for other uses."""
    def is_on(self) -> bool:
        """Whether the display is on."""
    def read_light_level(self) -> int:
        """How bright the light falling on the LEDs is, from 0 (dark) to 255 (bright)."""

display: _MicroBitDisplay
"""The 5x5 LED display."""

# --- buttons ------------------------------------------------------------------------------

class _MicroBitButton:
    """A push button on the front of the micro:bit."""

    def is_pressed(self) -> bool:
        """Whether the button is being held down right now."""
    def was_pressed(self) -> bool:
        """Whether the button was pressed since the last time you asked (or since start)."""
    def get_presses(self) -> int:
        """How many times the button was pressed since the last time you asked; resets to 0."""

button_a: _MicroBitButton
"""The left button, A."""
button_b: _MicroBitButton
"""The right button, B."""

# --- pins -------------------------------------------------------------------------------

class _MicroBitDigitalPin:
    """A pin on the edge connector that can be on (1) or off (0)."""

    NO_PULL: int
    """No pull resistor: use with ``set_pull``."""
    PULL_UP: int
    """A pull-up resistor: the pin reads 1 when nothing is connected."""
    PULL_DOWN: int
    """A pull-down resistor: the pin reads 0 when nothing is connected."""

    def read_digital(self) -> int:
        """Read the pin: 1 if it is high (3 V), 0 if it is low (0 V)."""
    def write_digital(self, value: int) -> None:
        """Set the pin high with 1 or low with 0."""
    def write_analog(self, value: int | float) -> None:
        """Send a PWM signal from 0 (always off) to 1023 (always on), e.g. to dim an LED."""
    def set_analog_period(self, period: int) -> None:
        """Set the PWM signal's period in milliseconds (ms)."""
    def set_analog_period_microseconds(self, period: int) -> None:
        """Set the PWM signal's period in microseconds (µs), 256 or more."""
    def get_analog_period_microseconds(self) -> int:
        """The PWM signal's period in microseconds (µs)."""
    def set_pull(self, value: int) -> None:
        """Choose the pin's pull resistor: ``PULL_UP``, ``PULL_DOWN`` or ``NO_PULL``."""
    def get_pull(self) -> int:
        """The pin's pull resistor: ``PULL_UP``, ``PULL_DOWN`` or ``NO_PULL``."""
    def get_mode(self) -> str:
        """What the pin is used for now, e.g. ``'unused'``, ``'write_digital'``, ``'display'``."""

class _MicroBitAnalogDigitalPin(_MicroBitDigitalPin):
    """A pin that can also measure a voltage."""

    def read_analog(self) -> int:
        """Measure the voltage on the pin: 0 (0 V) to 1023 (3.3 V)."""

class _MicroBitTouchPin(_MicroBitAnalogDigitalPin):
    """A large pin (0, 1 or 2) that can also sense touch."""

    CAPACITIVE: int
    """Capacitive touch sensing: use with ``set_touch_mode``. (V2 only)"""
    RESISTIVE: int
    """Resistive touch sensing (hold GND too): use with ``set_touch_mode``. (V2 only)"""

    def is_touched(self) -> bool:
        """Whether a finger is touching the pin."""
    def set_touch_mode(self, value: int) -> None:
        """Choose how touch is sensed: ``pin0.CAPACITIVE`` or ``pin0.RESISTIVE``. (V2 only)"""

class _MicroBitTouchOnlyPin:
    """The gold logo on the front, which senses touch. (V2 only)"""

    CAPACITIVE: int
    """Capacitive touch sensing (the logo's default): use with ``set_touch_mode``."""
    RESISTIVE: int
    """Resistive touch sensing: use with ``set_touch_mode``."""

    def is_touched(self) -> bool:
        """Whether a finger is touching the logo."""
    def set_touch_mode(self, value: int) -> None:
        """Choose how touch is sensed: ``pin_logo.CAPACITIVE`` or ``pin_logo.RESISTIVE``."""

pin0: _MicroBitTouchPin
"""Pin 0, the large pad on the left; sound comes out here too."""
pin1: _MicroBitTouchPin
"""Pin 1, the large pad in the middle."""
pin2: _MicroBitTouchPin
"""Pin 2, the large pad on the right."""
pin3: _MicroBitAnalogDigitalPin
"""Pin 3, used by the display (call ``display.off()`` to use it)."""
pin4: _MicroBitAnalogDigitalPin
"""Pin 4, used by the display (call ``display.off()`` to use it)."""
pin5: _MicroBitDigitalPin
"""Pin 5, connected to button A."""
pin6: _MicroBitDigitalPin
"""Pin 6, used by the display (call ``display.off()`` to use it)."""
pin7: _MicroBitDigitalPin
"""Pin 7, used by the display (call ``display.off()`` to use it)."""
pin8: _MicroBitDigitalPin
"""Pin 8, free to use."""
pin9: _MicroBitDigitalPin
"""Pin 9, free to use (used by the display on V1)."""
pin10: _MicroBitAnalogDigitalPin
"""Pin 10, used by the display (call ``display.off()`` to use it)."""
pin11: _MicroBitDigitalPin
"""Pin 11, connected to button B."""
pin12: _MicroBitDigitalPin
"""Pin 12, free to use."""
pin13: _MicroBitDigitalPin
"""Pin 13, the SPI clock (SCK) pin."""
pin14: _MicroBitDigitalPin
"""Pin 14, the SPI MISO pin."""
pin15: _MicroBitDigitalPin
"""Pin 15, the SPI MOSI pin."""
pin16: _MicroBitDigitalPin
"""Pin 16, free to use."""
pin19: _MicroBitDigitalPin
"""Pin 19, the I2C clock (SCL) pin."""
pin20: _MicroBitDigitalPin
"""Pin 20, the I2C data (SDA) pin."""
pin_logo: _MicroBitTouchOnlyPin
"""The touch-sensitive gold logo on the front. (V2 only)"""
pin_speaker: _MicroBitDigitalPin
"""The pin driving the built-in speaker. (V2 only)"""

# --- sensors ------------------------------------------------------------------------------

class _MicroBitAccelerometer:
    """Measures how the micro:bit moves and tilts, in milli-g (1000 mg = gravity)."""

    def get_x(self) -> int:
        """Acceleration left-right in milli-g (mg), about -2000 to 2000."""
    def get_y(self) -> int:
        """Acceleration forwards-backwards in milli-g (mg)."""
    def get_z(self) -> int:
        """Acceleration up-down in milli-g (mg): about -1000 lying flat face up."""
    def get_values(self) -> tuple[int, int, int]:
        """The x, y and z accelerations together, in milli-g (mg)."""
    def get_strength(self) -> int:
        """The total acceleration in milli-g (mg), whatever its direction."""
    def set_range(self, value: int) -> None:
        """Set the measuring range in g: 2, 4 or 8 (default 2)."""
    def current_gesture(self) -> str:
        """The gesture happening now, e.g. ``'shake'``, ``'face up'``, or ``''`` for none."""
    def is_gesture(self, name: str) -> bool:
        """Whether the gesture ``name`` (e.g. ``'shake'``) is happening now."""
    def was_gesture(self, name: str) -> bool:
        """Whether the gesture ``name`` happened since the last time you asked."""
    def get_gestures(self) -> tuple[str, ...]:
        """The gestures since the last call, oldest first (up to 16)."""

accelerometer: _MicroBitAccelerometer
"""The accelerometer: movement, tilt and gestures such as ``'shake'``."""

class _MicroBitCompass:
    """Measures the magnetic field to find north."""

    def calibrate(self) -> None:
        """Start calibrating: tilt the micro:bit until every LED is lit."""
    def is_calibrated(self) -> bool:
        """Whether the compass has been calibrated."""
    def clear_calibration(self) -> None:
        """Forget the calibration."""
    def heading(self) -> int:
        """The direction the micro:bit points, in degrees: 0 is north, 90 east (0-359)."""
    def get_x(self) -> int:
        """The magnetic field along x, in nano-tesla (nT)."""
    def get_y(self) -> int:
        """The magnetic field along y, in nano-tesla (nT)."""
    def get_z(self) -> int:
        """The magnetic field along z, in nano-tesla (nT)."""
    def get_field_strength(self) -> int:
        """The strength of the magnetic field, in nano-tesla (nT)."""

compass: _MicroBitCompass
"""The compass (magnetometer)."""

class _MicroBitMicrophone:
    """The built-in microphone, which hears sound levels and loud or quiet events. (V2 only)"""

    def sound_level(self) -> int:
        """How loud it is now, from 0 (silent) to 255 (very loud)."""
    def current_event(self) -> SoundEvent | None:
        """The most recent sound event: ``SoundEvent.LOUD`` or ``SoundEvent.QUIET``."""
    def is_event(self, event: SoundEvent) -> bool:
        """Whether ``event`` is the most recent sound event."""
    def was_event(self, event: SoundEvent) -> bool:
        """Whether ``event`` happened since the last time you asked."""
    def get_events(self) -> tuple[SoundEvent, ...]:
        """The sound events since the last call, oldest first (up to 8)."""
    def set_threshold(self, event: SoundEvent, value: int) -> None:
        """Set the sound level (0-255) that counts as ``LOUD`` or ``QUIET``."""

microphone: _MicroBitMicrophone
"""The built-in microphone. (V2 only)"""

class _MicroBitSpeaker:
    """The built-in speaker on the back. (V2 only)"""

    def on(self) -> None:
        """Turn the built-in speaker on (it is on at start)."""
    def off(self) -> None:
        """Turn the built-in speaker off; sound still goes to pin 0."""

speaker: _MicroBitSpeaker
"""The built-in speaker. (V2 only)"""

# --- buses ----------------------------------------------------------------------------------

class _MicroBitI2C:
    """The I2C bus, to talk to sensors and other chips with two wires."""

    def init(self, freq: int = 100000, sda: _MicroBitDigitalPin = pin20,
             scl: _MicroBitDigitalPin = pin19) -> None:
        """Set up the bus: ``freq`` in hertz (Hz), and the data and clock pins."""
    def scan(self) -> list[int]:
        """The addresses of every device that answers on the bus."""
    def read(self, addr: int, n: int, repeat: bool = False) -> bytes:
        """Read ``n`` bytes from the device at address ``addr`` (7-bit)."""
    def write(self, addr: int, buf: bytes | bytearray, repeat: bool = False) -> None:
        """Write the bytes ``buf`` to the device at address ``addr`` (7-bit)."""

i2c: _MicroBitI2C
"""The I2C bus on pins 19 (SCL) and 20 (SDA)."""

class _MicroBitSPI:
    """The SPI bus, to talk to chips such as displays with clock, in and out wires."""

    def init(self, baudrate: int = 1000000, bits: int = 8, mode: int = 0, *,
             sclk: _MicroBitDigitalPin = pin13, mosi: _MicroBitDigitalPin = pin15,
             miso: _MicroBitDigitalPin = pin14) -> None:
        """Set up the bus: speed in bits per second, ``mode`` 0-3, and its pins."""
    def read(self, nbytes: int, out: int = 0, /) -> bytes:
        """Read ``nbytes`` bytes while sending the byte ``out``."""
    def write(self, buf: bytes | bytearray) -> None:
        """Send the bytes ``buf``."""
    def write_readinto(self, out: bytes | bytearray, in_: bytearray, /) -> None:
        """Send ``out`` and at the same time read the same number of bytes into ``in_``."""

spi: _MicroBitSPI
"""The SPI bus (call ``spi.init()`` first)."""

class _MicroBitUART:
    """The serial port, shared with the USB connection to the computer."""

    ODD: int
    """Odd parity, for ``uart.init(parity=uart.ODD)``."""
    EVEN: int
    """Even parity, for ``uart.init(parity=uart.EVEN)``."""

    def init(self, baudrate: int = 9600, bits: int = 8, parity: int | None = None,
             stop: int = 1, *, pins: tuple[_MicroBitDigitalPin, _MicroBitDigitalPin] | None = None,
             tx: _MicroBitDigitalPin | None = None,
             rx: _MicroBitDigitalPin | None = None) -> None:
        """Set up the serial port: speed in baud; ``tx``/``rx`` pins (USB when left out)."""
    def any(self) -> bool:
        """Whether any bytes are waiting to be read."""
    def read(self, nbytes: int | None = None, /) -> bytes | None:
        """Read the waiting bytes (up to ``nbytes``), or None if nothing has arrived."""
    def readinto(self, buf: bytearray, nbytes: int | None = None, /) -> int | None:
        """Read bytes into ``buf``; gives how many were read, or None."""
    def readline(self) -> bytes | None:
        """Read one line, up to and including the newline, or None."""
    def write(self, buf: bytes | bytearray | str) -> int | None:
        """Send ``buf``; gives the number of bytes sent."""

uart: _MicroBitUART
"""The serial port (USB to the computer unless set up on other pins)."""

# --- functions ------------------------------------------------------------------------------

def sleep(n: float) -> None:
    """Wait for ``n`` milliseconds (ms): ``sleep(1000)`` waits one second."""

def running_time() -> int:
    """The time since the micro:bit started, in milliseconds (ms)."""

def temperature() -> int:
    """The temperature of the micro:bit's chip in degrees Celsius (°C)."""

def panic(n: int = 999) -> None:
    """Stop everything and show a sad face with the error number ``n``."""

def reset() -> None:
    """Restart the micro:bit, running your program from the beginning."""

@overload
def scale(value: float, from_: tuple[int, int], to: tuple[int, int]) -> int:
    """Convert ``value`` from the range ``from_`` to the range ``to``, e.g. 0-1023 to 0-9."""
@overload
def scale(value: float, from_: tuple[float, float], to: tuple[float, float]) -> float:
    """Convert ``value`` from the range ``from_`` to the range ``to``, e.g. 0-1023 to 0-9."""

def set_volume(v: int) -> None:
    """Set the volume of all sound, from 0 (silent) to 255 (loudest). (V2 only)"""

def run_every(callback: Callable[[], object] | None = None, *, days: int = 0, h: int = 0,
              min: int = 0, s: int = 0, ms: int = 0) -> Any:
    """Run a function again and again, every so often: use as ``@run_every(s=2)``. (V2 only)"""

def ws2812_write(pin: _MicroBitDigitalPin, buf: bytes | bytearray) -> None:
    """Send raw colour bytes to NeoPixel LEDs; ``neopixel`` does this for you. (V2 only)"""
