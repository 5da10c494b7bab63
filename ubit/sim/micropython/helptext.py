"""``help()``: the firmware's welcome text, ``help('modules')`` and help on an object.

The texts are the firmware's output, verbatim: the welcome text is the same in
V1 ``source/microbit/help.c`` and V2 ``src/codal_port/help.c``, and V1 also has
a sentence for many objects (``help(display.scroll)``), from the same file. The
module list is printed as ``py/builtinhelp.c`` does: sorted, column-first in 4
columns 18 wide, then "Plus any modules on the filesystem" (reference §3.1).
Any other object gets ``object X is of type T`` and, for a module or type, a
``name -- value`` line per attribute.

The lead wires it: ``names["help"] = make_help(device)`` in the builtins.
"""

from __future__ import annotations

import types
from collections.abc import Callable, Iterable

from ubit.sim.board.board import Board
from ubit.sim.micropython.boundary import api
from ubit.sim.micropython.mprepr import Printer
from ubit.sim.micropython.tracebacks import is_user_file
from ubit.sim.shared.typenames import Any

HELP_TEXT = """\
Welcome to MicroPython on the micro:bit!

Try these commands:
  display.scroll('Hello')
  running_time()
  sleep(1000)
  button_a.is_pressed()
What do these commands do? Can you improve them? HINT: use the up and down
arrow keys to get your command history. Press the TAB key to auto-complete
unfinished words (so 'di' becomes 'display' after you press TAB). These
tricks save a lot of typing and look cool!

Explore:
Type 'help(something)' to find out about it. Type 'dir(something)' to see what
it can do. Type 'dir()' to see what stuff is available. For goodness sake,
don't type 'import this'.

Control commands:
  CTRL-C        -- stop a running program
  CTRL-D        -- on a blank line, do a soft reset of the micro:bit
  CTRL-E        -- enter paste mode, turning off auto-indent

For a list of available modules, type help('modules')

For more information about Python, visit: http://python.org/
To find out about MicroPython, visit: http://micropython.org/
Python/micro:bit documentation is here: https://microbit-micropython.readthedocs.io/
"""

COLUMNS, COLUMN_WIDTH = 4, 18
FILESYSTEM_NOTE = "Plus any modules on the filesystem"

# V1 only: help(obj) for these objects prints the firmware's sentence (object by its path).
V1_OBJECT_HELP: tuple[tuple[str, str], ...] = (
    ("microbit", 'Useful stuff to control the micro:bit hardware.\n'),
    ("microbit.panic",
     'Put micro:bit in panic() mode and display an unhappy face.\n'
     'Press reset button to exit panic() mode.\n'),
    ("microbit.sleep",
     'Put micro:bit to sleep(time) for some milliseconds (1 second = 1000 ms) of time.\n'
     'sleep(2000) gives micro:bit a 2 second nap.\n'),
    ("microbit.running_time",
     "Return running_time() in milliseconds since micro:bit's last reset.\n"),
    ("microbit.temperature", "Return micro:bit's temperature in degrees Celcius.\n"),
    ("microbit.accelerometer",
     "Detect micro:bit's movement in 3D.\n"
     'It measures tilt (X and Y) and up-down (Z) motion.\n'),
    ("microbit.accelerometer.get_x", "Return micro:bit's tilt (X acceleration) in milli-g's.\n"),
    ("microbit.accelerometer.get_y", "Return micro:bit's tilt (Y acceleration) in milli-g's.\n"),
    ("microbit.accelerometer.get_z",
     "Return micro:bit's up-down motion (Z acceleration) in milli-g's.\n"
     'Z is a positive number when moving up. Moving down, Z is a negative number.\n'),
    ("microbit.button_a",
     "micro:bit's 'A' button. When button is pressed down, is_pressed() is True.\n"),
    ("microbit.button_b",
     "micro:bit's 'B' button. When button is pressed down, is_pressed() is True.\n"),
    ("microbit.button_a.is_pressed",
     'If the button is pressed down, is_pressed() is True, else False.\n'),
    ("microbit.button_a.was_pressed",
     'Use was_pressed() to learn if the button was pressed since the last time\n'
     'was_pressed() was called. Returns True or False.\n'),
    ("microbit.button_a.get_presses",
     'Use get_presses() to get the running total of button presses, and also\n'
     'reset this counter to zero.\n'),
    ("microbit.compass.heading", 'Gives a compass heading between 0-360 with 0 as north.\n'),
    ("microbit.compass",
     "Use micro:bit's compass to detect the direction it is heading in.\n"
     'The compass can detect magnetic fields.\n'
     "It uses the Earth's magnetic field to detect direction.\n"),
    ("microbit.compass.is_calibrated",
     "If micro:bit's compass is_calibrated() and adjusted for accuracy, return True.\n"
     "If compass hasn't been adjusted for accuracy, return False.\n"),
    ("microbit.compass.calibrate",
     'If micro:bit is confused, calibrate() the compass to adjust the its accuracy.\n'
     'It will ask you to rotate the device to draw a circle on the display.\n'),
    ("microbit.compass.clear_calibration",
     "Reset micro:bit's compass using clear_calibration() command.\n"
     'Run calibrate() to improve accuracy.\n'),
    ("microbit.compass.get_x",
     "Return magnetic field detected along micro:bit's X axis.\n"
     "Usually, the compass returns the earth's magnetic field in micro-Tesla units.\n"
     'Unless...a strong magnet is nearby!\n'),
    ("microbit.compass.get_y",
     "Return magnetic field detected along micro:bit's Y axis.\n"
     "Usually, the compass returns the earth's magnetic field in micro-Tesla units.\n"
     'Unless...a strong magnet is nearby!\n'),
    ("microbit.compass.get_z",
     "Return magnetic field detected along micro:bit's Z axis.\n"
     "Usually, the compass returns the earth's magnetic field in micro-Tesla units.\n"
     'Unless...a strong magnet is nearby!\n'),
    ("microbit.compass.get_field_strength",
     'Return strength of magnetic field around micro:bit.\n'),
    ("microbit.display", "micro:bit's 5x5 LED display.\n"),
    ("microbit.display.show",
     "Use show(x) to print the string or images 'x' to the display. Try show('Hi!').\n"
     "Use show(s, i) to show string 's', one character at a time with a delay of\n"
     "'i' milliseconds.\n"),
    ("microbit.display.scroll",
     "Use scroll(s) to scroll the string 's' across the display.\n"
     "Use scroll(s, i) to scroll string 's' with a delay of 'i' milliseconds after\n"
     'each character.\n'),
    ("microbit.display.clear", "Use clear() to clear micro:bit's display.\n"),
    ("microbit.display.get_pixel",
     "Use get_pixel(x, y) to return the display's brightness at LED pixel (x,y).\n"
     'Brightness can be from 0 (LED is off) to 9 (maximum LED brightness).\n'),
    ("microbit.display.set_pixel",
     "Use set_pixel(x, y, b) to set the display at LED pixel (x,y) to brightness 'b'\n"
     'which can be set between 0 (off) to 9 (full brightness).\n'),
    ("microbit.display.on", 'Use on() to turn on the display.\n'),
    ("microbit.display.off", 'Use off() to turn off the display.\n'),
    ("microbit.display.is_on",
     "Use is_on() to query if the micro:bit's display is on (True) or off (False).\n"),
    ("microbit.display.read_light_level",
     'Use read_light_level() to get the ambient light level, between 0 (dark) and 255 '
     '(bright).\n'),
    ("microbit.pin0", "micro:bit's pin 0 on the gold edge connector.\n"),
    ("microbit.pin1", "micro:bit's pin 1 on the gold edge connector.\n"),
    ("microbit.pin2", "micro:bit's pin 2 on the gold edge connector.\n"),
    ("microbit.pin3", "micro:bit's pin 3 on the gold edge connector.\n"),
    ("microbit.pin4", "micro:bit's pin 4 on the gold edge connector.\n"),
    ("microbit.pin5", "micro:bit's pin 5 on the gold edge connector.\n"),
    ("microbit.pin6", "micro:bit's pin 6 on the gold edge connector.\n"),
    ("microbit.pin7", "micro:bit's pin 7 on the gold edge connector.\n"),
    ("microbit.pin8", "micro:bit's pin 8 on the gold edge connector.\n"),
    ("microbit.pin9", "micro:bit's pin 9 on the gold edge connector.\n"),
    ("microbit.pin10", "micro:bit's pin 10 on the gold edge connector.\n"),
    ("microbit.pin11", "micro:bit's pin 11 on the gold edge connector.\n"),
    ("microbit.pin12", "micro:bit's pin 12 on the gold edge connector.\n"),
    ("microbit.pin13", "micro:bit's pin 13 on the gold edge connector.\n"),
    ("microbit.pin14", "micro:bit's pin 14 on the gold edge connector.\n"),
    ("microbit.pin15", "micro:bit's pin 15 on the gold edge connector.\n"),
    ("microbit.pin16", "micro:bit's pin 16 on the gold edge connector.\n"),
    ("microbit.pin19", "micro:bit's pin 19 on the gold edge connector.\n"),
    ("microbit.pin20", "micro:bit's pin 20 on the gold edge connector.\n"),
    ("microbit.pin0.write_digital",
     "micro:bit, write_digital(choice) to the pin. You have two 'choice' values,\n"
     '0 (lo) or 1 (hi).\n'),
    ("microbit.pin0.read_digital",
     'micro:bit, read_digital() value from the pin as either 0 (lo) or 1 (hi).\n'),
    ("microbit.pin0.write_analog",
     'micro:bit, write_analog(value) to the pin. You can use any value between\n'
     '0 and 1023.\n'),
    ("microbit.pin0.read_analog",
     'micro:bit, read_analog() value from the pin. Wow, analog has lots of values\n'
     '(0 - 65535). Digital has only 0 and 1.\n'),
    ("microbit.pin0.is_touched",
     'If pin is_touched() on micro:bit, return True. If nothing is touching the pin,\n'
     'return False.\n'),
    ("microbit.i2c",
     'Communicate with one or more named devices connected to micro:bit. Each named\n'
     "device has an 'address', communicates using I2C, and connects to the I/O pins.\n"),
    ("microbit.i2c.read",
     "Use read(address, n) to read 'n' bytes from the device with this address.\n"),
    ("microbit.i2c.write",
     "Use write(address, buffer) to write to the 'buffer' of the device at this 'address'.\n"),
    ("microbit.i2c.init", 'Use init(frequency, scl, sda) to set the bus frequency and pins.\n'),
    ("microbit.Image",
     'Create and use built-in IMAGES to show on the display. Use:\n'
     'Image(\n'
     "  '09090:'\n"
     "  '99999:'\n"
     "  '99999:'\n"
     "  '09990:'\n"
     "  '00900:')\n"
     '...to make a new 5x5 heart image. Numbers go from 0 (off) to 9 (brightest). Note\n'
     "the colon ':' to set the end of a row.\n"),
    ("microbit.Image.width", 'Return the width of the image in pixels.\n'),
    ("microbit.Image.height", 'Return the height of the image in pixels.\n'),
    ("microbit.Image.get_pixel",
     "Use get_pixel(x, y) to return the image's brightness at LED pixel (x,y).\n"
     'Brightness can be from 0 (LED is off) to 9 (maximum LED brightness).\n'),
    ("microbit.Image.set_pixel",
     'Use set_pixel(x, y, b) to set the LED pixel (x,y) in the image to brightness\n'
     "'b' which can be set between 0 (off) to 9 (full brightness).\n"),
    ("microbit.Image.shift_left",
     "Use shift_left(i) to make a copy of the image but moved 'i' pixels to the left.\n"),
    ("microbit.Image.shift_right",
     "Use shift_right(i) to make a copy of the image but moved 'i' pixels to\n"
     'the right.\n'),
    ("microbit.Image.shift_up",
     "Use shift_up(i) to make a copy of the image but moved 'i' pixels up.\n"),
    ("microbit.Image.shift_down",
     "Use shift_down(i) to make a copy of the image but moved 'i' pixels down.\n"),
    ("microbit.Image.copy", 'Use copy() to make a new exact copy of the image.\n'),
    ("microbit.Image.crop",
     'Use crop(x1, y1, x2, y2) to make a cut-out copy of the image where coordinate\n'
     '(x1,y1) is the top left corner of the cut-out area and coordinate (x2,y2) is the\n'
     'bottom right corner.\n'),
    ("microbit.Image.invert",
     'Use invert() to make a negative copy of the image. Where a pixel was bright or\n'
     'on in the original, it is dim or off in the negative copy.\n'),
    ("microbit.uart", "Communicate with a serial device connected to micro:bit's I/O pins.\n"),
    ("microbit.uart.init",
     'Use init() to set up communication. Use pins 0 (TX) and 1 (RX) with a baud\n'
     'rate of 9600.\n'
     "Override the defaults for 'baudrate', 'parity' and 'pins'.\n"),
    ("microbit.uart.any",
     'If there are incoming characters waiting to be read, any() will return True.\n'
     'Otherwise, returns False.\n'),
    ("microbit.uart.read",
     'Use read() to read characters.\n'
     "Use read(n) to read, at most, 'n' bytes of data.\n"),
    ("microbit.uart.readline",
     'Use readline() to read a line that ends with a newline character.\n'),
    ("microbit.uart.readinto",
     "Use readinto(buf) to read bytes into the buffer 'buf'.\n"
     "Use readinto(buff, n) to read, at most, 'n' number of bytes into 'buf'.\n"),
    ("microbit.uart.write",
     "Use write(buf) to write the bytes in buffer 'buf' to the connected device.\n"),
    ("microbit.spi",
     'Communicate using a serial peripheral interface (SPI) device connected to\n'
     "micro:bit's I/O pins.\n"),
    ("microbit.spi.init",
     'Use init() to set up communication. Override the defaults for baudrate, mode,\n'
     'SCLK, MOSI and MISO. The default connections are pin13 for SCLK, pin15 for\n'
     'MOSI and pin14 for MISO.\n'),
    ("microbit.spi.write",
     "Use write(buf) to write bytes in buffer 'buf' to the connected device.\n"),
    ("microbit.spi.read", "Use read(n) to read 'n' bytes of data.\n"),
    ("microbit.spi.write_readinto",
     "Use write_readinto(out, in) to write the 'out' buffer to the connected device\n"
     "and read any response into the 'in' buffer. The length of the buffers should\n"
     'be the same. The buffers can be the same object.\n'),
    ("music", 'Plug in a speaker with crocodile clips and make micro:bit go bleep and bloop.\n'),
    ("music.set_tempo",
     "Use set_tempo(number, bpm) to make a beat last a 'number' of ticks long and\n"
     "played at 'bpm' beats per minute.\n"),
    ("music.pitch",
     "Use pitch(freq, length) to make micro:bit play a note at 'freq' frequency for\n"
     "'length' milliseconds. E.g. pitch(440, 1000) will play concert 'A' for 1 second.\n"),
    ("music.play",
     "Use play(music) to make micro:bit play 'music' list of notes. Try out the\n"
     'built in music to see how it works. E.g. music.play(music.PUNCHLINE).\n'),
    ("music.get_tempo",
     'Use get_tempo() to return the number of ticks in a beat and number of beats\n'
     'per minute.\n'),
    ("music.stop", 'Use to stop() the music that is playing.\n'),
    ("music.reset", 'If things go wrong, reset() the music to its default settings.\n'),
    ("antigravity", 'See: http://xkcd.com/353/\n'),
    ("this",
     "The Zen of Python defines what it is to be Pythonic. It wouldn't fit on this\n"
     "device so we've written a Zen of MicroPython instead.\n"),
    ("this.authors",
     'Use authors() to reveal the names of the people who created this software.\n'),
    ("love", 'All you need. Use love.badaboom() to repeat the effect.\n'),
    ("love.badaboom",
     'Hear my soul speak:\n'
     'The very instant that I saw you, did\n'
     'My heart fly to your service.\n'),
)
V1_TYPE_HELP = (("microbit.accelerometer", "MicroBitAccelerometer type\n"),)  # by its type
_MODULE_NOISE = {"__doc__", "__package__", "__loader__", "__spec__", "__builtins__", "__file__"}


def modules_text(names: Iterable[str]) -> str:
    """``help('modules')``: sorted names, column-first, then the filesystem note."""
    items = sorted(names)
    rows = -(-len(items) // COLUMNS)
    lines = []
    for row in range(rows):
        line = ""
        for index in range(row, len(items), rows):
            name = items[index]
            line += name
            if index + rows < len(items):  # pad to the next column (at least one space)
                gap = COLUMN_WIDTH - len(name)
                while gap < 1:
                    gap += COLUMN_WIDTH
                line += " " * gap
        lines.append(line)
    return "\n".join(lines + [FILESYSTEM_NOTE]) + "\n"


def resolve(board: Board, path: str) -> Any:
    """The object at a dotted path among the loaded modules (None if not loaded)."""
    first, *rest = path.split(".")
    obj: Any = board.modules.get(first)
    for name in rest:
        obj = getattr(obj, name, None)
    return getattr(obj, "__func__", obj)


def type_name(obj: Any) -> str:
    """The name MicroPython gives ``obj``'s type."""
    if isinstance(obj, (types.FunctionType, types.BuiltinFunctionType)):
        return "function"
    if isinstance(obj, types.MethodType):
        return "bound_method"
    return type(obj).__name__


def make_help(board: Board) -> Callable[..., None]:
    """The ``help`` builtin of ``device``."""
    spec = board.spec
    printer = Printer(spec)

    def text_of(value: Any) -> str:
        """``value`` as MicroPython prints it with ``str``."""
        if isinstance(value, str):
            return value
        if isinstance(value, types.FunctionType) and is_user_file(value.__code__.co_filename) \
                and spec.function_names:
            return f"<function {value.__name__} at 0x{0x20000000 + id(value) % 0x10000:x}>"
        if isinstance(value, (types.FunctionType, types.BuiltinFunctionType)):
            return "<function>"
        if isinstance(value, (classmethod, staticmethod)):
            return f"<{type(value).__name__}>"
        if isinstance(value, types.ModuleType):
            return f"<module '{value.__name__}'>"
        if isinstance(value, type):
            return f"<class '{value.__name__}'>"
        return printer.str(value)

    def specific(obj: Any) -> str | None:
        """V1's sentence about ``obj``, if it has one."""
        if not spec.help_sentences:
            return None
        for path, text in V1_OBJECT_HELP:
            if resolve(board, path) is obj:
                return text
        for path, text in V1_TYPE_HELP:
            kind = type(resolve(board, path))
            if obj is kind or type(obj) is kind:
                return text
        return None

    def describe(obj: Any) -> str:
        """``object X is of type T`` and the attributes of a module or type."""
        lines = [f"object {text_of(obj)} is of type {type_name(obj)}"]
        if isinstance(obj, types.ModuleType):
            table = {k: v for k, v in vars(obj).items() if k not in _MODULE_NOISE}
        else:
            kind = obj if isinstance(obj, type) else type(obj)
            table = {k: v for k, v in vars(kind).items() if not k.startswith("_")}
        lines += [f"  {name} -- {text_of(value)}" for name, value in table.items()]
        return "\n".join(lines) + "\n"

    def help(*args: Any) -> None:  # noqa: A001 - the builtin's name
        """Print help: the welcome text, the module list, or about one object."""
        if len(args) > 1:
            raise TypeError(f"function expected at most 1 arguments, got {len(args)}")
        if not args:
            text = HELP_TEXT
        elif isinstance(args[0], str) and args[0] == "modules":
            text = modules_text(spec.modules)
        else:
            obj = getattr(args[0], "__func__", args[0]) if isinstance(args[0], types.MethodType) \
                else args[0]
            text = specific(obj) or describe(obj)
        board.serial.write_text(text)
        board.clock.poll()

    return api(help)
