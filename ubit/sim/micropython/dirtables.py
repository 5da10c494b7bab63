"""The order the V1 firmware's ``dir()`` lists its modules and native types in.

MicroPython 1.9.2's ``dir(obj)`` (``py/modbuiltins.c``) walks a module's globals table or a
type's locals table slot by slot: for the ROM tables of the micro:bit port (bbcmicrobit
v1.1.1, ``source/microbit/*.cpp``) that is their order in the source. Recorded from the V1
firmware under QEMU (the V1 corpus program 200); modules not named here are made in that
order already. V2's 1.18 probes every qstr instead (``introspection``), so needs none.
"""

from __future__ import annotations

_MODULES = {
    "microbit": (
        "__name__ Image display button_a button_b accelerometer compass audio i2c uart spi "
        "reset sleep running_time panic temperature scale pin0 pin1 pin2 pin3 pin4 pin5 pin6 "
        "pin7 pin8 pin9 pin10 pin11 pin12 pin13 pin14 pin15 pin16 pin19 pin20"),
    "music": (
        "__name__ __init__ reset set_tempo get_tempo play pitch stop DADADADUM ENTERTAINER "
        "PRELUDE ODE NYAN RINGTONE FUNK BLUES BIRTHDAY WEDDING FUNERAL PUNCHLINE PYTHON BADDY "
        "CHASE BA_DING WAWAWAWAA JUMP_UP JUMP_DOWN POWER_UP POWER_DOWN"),
    "os": "__name__ remove listdir size uname",
    "speech": "__name__ say sing pronounce translate",
    "builtins": (
        "__name__ __build_class__ __import__ __repl_print__ bool bytes bytearray dict "
        "enumerate filter float frozenset int list map object range reversed set slice str "
        "super tuple type zip classmethod staticmethod Ellipsis abs all any bin callable chr "
        "dir divmod eval exec getattr setattr globals hasattr hash help hex id input "
        "isinstance issubclass iter len locals max min next oct ord pow print repr round "
        "sorted sum BaseException ArithmeticError AssertionError AttributeError EOFError "
        "Exception GeneratorExit ImportError IndentationError IndexError KeyboardInterrupt "
        "KeyError LookupError MemoryError NameError NotImplementedError OSError "
        "OverflowError RuntimeError StopIteration SyntaxError SystemExit TypeError "
        "UnicodeError ValueError ZeroDivisionError open"),
}
_PIN = ("write_digital read_digital write_analog read_analog set_analog_period "
        "set_analog_period_microseconds get_analog_period_microseconds is_touched PULL_UP "
        "PULL_DOWN NO_PULL get_pull set_pull get_mode")
_TYPES = {
    "MicroBitDisplay": "get_pixel set_pixel show scroll clear on off is_on read_light_level",
    "MicroBitImage": (
        "width height get_pixel set_pixel shift_left shift_right shift_up shift_down copy "
        "crop invert fill blit HEART HEART_SMALL HAPPY SMILE SAD CONFUSED ANGRY ASLEEP "
        "SURPRISED SILLY FABULOUS MEH YES NO CLOCK12 CLOCK1 CLOCK2 CLOCK3 CLOCK4 CLOCK5 CLOCK6 "
        "CLOCK7 CLOCK8 CLOCK9 CLOCK10 CLOCK11 ARROW_N ARROW_NE ARROW_E ARROW_SE ARROW_S "
        "ARROW_SW ARROW_W ARROW_NW TRIANGLE TRIANGLE_LEFT CHESSBOARD DIAMOND DIAMOND_SMALL "
        "SQUARE SQUARE_SMALL RABBIT COW MUSIC_CROTCHET MUSIC_QUAVER MUSIC_QUAVERS PITCHFORK "
        "XMAS PACMAN TARGET ALL_CLOCKS ALL_ARROWS TSHIRT ROLLERSKATE DUCK HOUSE TORTOISE "
        "BUTTERFLY STICKFIGURE GHOST SWORD GIRAFFE SKULL UMBRELLA SNAKE SCISSORS"),
    "MicroBitTouchPin": _PIN,
    "MicroBitAnalogDigitalPin": _PIN,
    "MicroBitDigitalPin": _PIN,
    "MicroBitButton": "is_pressed was_pressed get_presses",
    "MicroBitAccelerometer": ("get_x get_y get_z get_values get_strength current_gesture "
                              "is_gesture was_gesture get_gestures set_range"),
    "MicroBitCompass": ("heading is_calibrated calibrate clear_calibration get_x get_y get_z "
                        "get_field_strength"),
    "MicroBitI2C": "init scan read write",
    "MicroBitUART": "init any read readline readinto write ODD EVEN",
    "MicroBitSPI": "init write read write_readinto",
    "NeoPixel": "clear show",
    "TextIO": "close name __enter__ __exit__ writable read readinto readline write",
    "BytesIO": "close name __enter__ __exit__ writable read readinto readline write",
    "FileIO": "close name __enter__ __exit__ writable read readinto readline write",
}
# Names the firmware's tables hold that the virtual board's objects answer otherwise.
_ALWAYS = frozenset({"__init__", "__enter__", "__exit__"})


def _ranks(table: dict[str, str]) -> dict[str, dict[str, int]]:
    return {name: {item: i for i, item in enumerate(names.split())}
            for name, names in table.items()}


MODULE_RANKS = _ranks(_MODULES)
TYPE_RANKS = _ranks(_TYPES)


def in_table_order(ranks: dict[str, int] | None, names: list[str]) -> list[str]:
    """``names`` in the order of a firmware table (``ranks``: name → slot); those it lacks
    after, as they came. The table's ``__init__``/``__enter__``/``__exit__`` are listed
    even where the board's object provides them otherwise (a module's ``__init__``)."""
    if ranks is None:
        return names
    present = set(names)
    known = [n for n in ranks if n in present or n in _ALWAYS]
    return known + [n for n in names if n not in ranks]
