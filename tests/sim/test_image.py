"""``microbit.Image``: built-ins, font, constructors, methods, operators, repr/str and errors.

Expected values are the fact sheet's (reference §6) and the real V1 firmware's
(measured under QEMU); the pure image logic is tested in-process, the wording of
errors on each board end to end.
"""

from __future__ import annotations

import pytest

from tests.sim.runner import run_program
from ubit.sim.micropython.api.image import MicroBitImage as Image

# Reference §6.5, in the firmware's order.
BUILTINS = """
HEART 09090:99999:99999:09990:00900
HEART_SMALL 00000:09090:09990:00900:00000
HAPPY 00000:09090:00000:90009:09990
SMILE 00000:00000:00000:90009:09990
SAD 00000:09090:00000:09990:90009
CONFUSED 00000:09090:00000:09090:90909
ANGRY 90009:09090:00000:99999:90909
ASLEEP 00000:99099:00000:09990:00000
SURPRISED 09090:00000:00900:09090:00900
SILLY 90009:00000:99999:00909:00999
FABULOUS 99999:99099:00000:09090:09990
MEH 09090:00000:00090:00900:09000
YES 00000:00009:00090:90900:09000
NO 90009:09090:00900:09090:90009
CLOCK12 00900:00900:00900:00000:00000
CLOCK1 00090:00090:00900:00000:00000
CLOCK2 00000:00099:00900:00000:00000
CLOCK3 00000:00000:00999:00000:00000
CLOCK4 00000:00000:00900:00099:00000
CLOCK5 00000:00000:00900:00090:00090
CLOCK6 00000:00000:00900:00900:00900
CLOCK7 00000:00000:00900:09000:09000
CLOCK8 00000:00000:00900:99000:00000
CLOCK9 00000:00000:99900:00000:00000
CLOCK10 00000:99000:00900:00000:00000
CLOCK11 09000:09000:00900:00000:00000
ARROW_N 00900:09990:90909:00900:00900
ARROW_NE 00999:00099:00909:09000:90000
ARROW_E 00900:00090:99999:00090:00900
ARROW_SE 90000:09000:00909:00099:00999
ARROW_S 00900:00900:90909:09990:00900
ARROW_SW 00009:00090:90900:99000:99900
ARROW_W 00900:09000:99999:09000:00900
ARROW_NW 99900:99000:90900:00090:00009
TRIANGLE 00000:00900:09090:99999:00000
TRIANGLE_LEFT 90000:99000:90900:90090:99999
CHESSBOARD 09090:90909:09090:90909:09090
DIAMOND 00900:09090:90009:09090:00900
DIAMOND_SMALL 00000:00900:09090:00900:00000
SQUARE 99999:90009:90009:90009:99999
SQUARE_SMALL 00000:09990:09090:09990:00000
RABBIT 90900:90900:99990:99090:99990
COW 90009:90009:99999:09990:00900
MUSIC_CROTCHET 00900:00900:00900:99900:99900
MUSIC_QUAVER 00900:00990:00909:99900:99900
MUSIC_QUAVERS 09999:09009:09009:99099:99099
PITCHFORK 90909:90909:99999:00900:00900
XMAS 00900:09990:00900:09990:99999
PACMAN 09999:99090:99900:99990:09999
TARGET 00900:09990:99099:09990:00900
TSHIRT 99099:99999:09990:09990:09990
ROLLERSKATE 00099:00099:99999:99999:09090
DUCK 09900:99900:09999:09990:00000
HOUSE 00900:09990:99999:09990:09090
TORTOISE 00000:09990:99999:09090:00000
BUTTERFLY 99099:99999:00900:99999:99099
STICKFIGURE 00900:99999:00900:09090:90009
GHOST 99999:90909:99999:99999:90909
SWORD 00900:00900:00900:09990:00900
GIRAFFE 99000:09000:09000:09990:09090
SKULL 09990:90909:99999:09990:09990
UMBRELLA 09990:99999:00900:90900:09900
SNAKE 99000:99099:09090:09990:00000
SCISSORS 99009:99090:00900:99090:99009
"""
TABLE = [line.split() for line in BUILTINS.strip().splitlines()]

# Reference §6.6, a sample of the font.
GLYPHS = {
    " ": "00000:00000:00000:00000:00000",
    "!": "09000:09000:09000:00000:09000",
    "0": "09900:90090:90090:90090:09900",
    "9": "09990:90009:09990:00900:09000",
    "?": "09990:90009:00990:00000:00900",
    "A": "09900:90090:99990:90090:90090",
    "M": "90009:99099:90909:90009:90009",
    "a": "00000:09990:90090:90090:09999",
    "~": "00000:00000:09900:00099:00000",
}


def pixels(image: Image) -> str:
    """The image's rows as ``'09090:...'`` (no trailing colon)."""
    return ":".join("".join(str(image.get_pixel(x, y)) for x in range(image.width()))
                    for y in range(image.height()))


def error_of(fn) -> tuple[str, str]:
    with pytest.raises(Exception) as caught:
        fn()
    return type(caught.value).__name__, str(caught.value)


# -- built-ins and font ------------------------------------------------------------------------
def test_there_are_64_builtin_images_and_each_has_the_reference_pixels():
    assert len(TABLE) == 64
    for name, rows in TABLE:
        image = getattr(Image, name)
        assert (image.width(), image.height()) == (5, 5), name
        assert pixels(image) == rows, name


def test_builtins_on_both_boards_end_to_end():
    program = ("from microbit import *\nfor n in %r:\n    print(n, repr(getattr(Image, n)))\n"
               % [name for name, _ in TABLE])
    expected = "".join(f"{name} Image('{rows}:')\n" for name, rows in TABLE)
    for board in ("v1", "v2"):
        assert run_program(program, board=board).text == expected


def test_collections_are_tuples_of_the_same_objects():
    assert isinstance(Image.ALL_CLOCKS, tuple) and len(Image.ALL_CLOCKS) == 12
    assert Image.ALL_CLOCKS[0] is Image.CLOCK12 and Image.ALL_CLOCKS[11] is Image.CLOCK11
    assert Image.ALL_ARROWS == (Image.ARROW_N, Image.ARROW_NE, Image.ARROW_E, Image.ARROW_SE,
                                Image.ARROW_S, Image.ARROW_SW, Image.ARROW_W, Image.ARROW_NW)


def test_builtins_are_read_only_but_copies_are_not():
    message = ("TypeError", "image cannot be modified (try copying first)")
    assert error_of(lambda: Image.HEART.set_pixel(0, 0, 1)) == message
    assert error_of(lambda: Image.HEART.fill(1)) == message
    assert error_of(lambda: Image.HEART.blit(Image(), 0, 0, 1, 1)) == message
    copy = Image.HEART.copy()
    copy.set_pixel(0, 0, 5)
    assert copy.get_pixel(0, 0) == 5 and Image.HEART.get_pixel(0, 0) == 0
    assert Image.HEART.invert().get_pixel(0, 0) == 9  # results of operations are mutable too
    Image.HEART.invert().set_pixel(0, 0, 1)


def test_single_characters_are_font_glyphs():
    for char, rows in GLYPHS.items():
        assert pixels(Image(char)) == rows, char
    assert pixels(Image("9")) == GLYPHS["9"]  # the glyph, not a 1×1 image
    for outside in ("\x7f", "\x1f", "\t"):  # any other byte is drawn as '?'
        assert pixels(Image(outside)) == GLYPHS["?"]


# -- constructors ------------------------------------------------------------------------------
def test_constructor_forms():
    assert pixels(Image()) == "00000:" * 4 + "00000"
    assert pixels(Image("09090:99999:99999:09990:00900")) == TABLE[0][1]
    assert pixels(Image("1\n23\n")) == "10:23"  # newline separates, rows padded with 0
    assert pixels(Image("1 3:")) == "103"  # a space is 0
    assert pixels(Image("12:345")) == "120:345"  # the last separator is optional
    assert (Image("").width(), Image("").height()) == (0, 0)
    assert (Image(3, 2).width(), Image(3, 2).height()) == (3, 2)
    assert pixels(Image(2, 2, bytearray([1, 2, 3, 200]))) == "12:39"  # above 9 is 9
    assert pixels(Image(2, 1, b"\x00\x05")) == "05"


def test_constructor_errors():
    assert error_of(lambda: Image("abc")) == ("ValueError",
                                              "unexpected character in Image definition")
    assert error_of(lambda: Image(2, 2, b"123")) == ("ValueError", "image data is incorrect size")
    assert error_of(lambda: Image(-1, 2, b"")) == ("ValueError", "image data is incorrect size")
    assert error_of(lambda: Image(5)) == ("TypeError", "Image(s) takes a string")
    assert error_of(lambda: Image(None)) == ("TypeError", "Image(s) takes a string")
    assert error_of(lambda: Image(1, 2, b"12", 4)) == (
        "TypeError", "function expected at most 3 arguments, got 4")
    assert error_of(lambda: Image(2, 2, [1, 2, 3, 4])) == (
        "TypeError", "object with buffer protocol required")
    assert error_of(lambda: Image(2.5, 2)) == ("TypeError", "can't convert float to int")


def test_parser_quirks_measured_on_the_firmware():
    # The firmware only checks "<= '9'", so punctuation is accepted as a 4-bit value.
    assert Image("!:").get_pixel(0, 0) == 1
    assert [Image("*+,-./:").get_pixel(x, 0) for x in range(6)] == [10, 11, 12, 13, 14, 15]
    assert repr(Image("*+,-./:")) == "Image('\x00unexp:')"  # V1 prints these bytes


# -- methods -----------------------------------------------------------------------------------
def test_pixels_and_their_errors():
    image = Image()
    image.set_pixel(2, 2, 7)
    assert image.get_pixel(2, 2) == 7
    assert error_of(lambda: image.get_pixel(-1, 0)) == ("ValueError", "index cannot be negative")
    assert error_of(lambda: image.get_pixel(5, 0)) == ("ValueError", "index too large")
    assert error_of(lambda: image.set_pixel(0, 5, 1)) == ("ValueError", "index too large")
    assert error_of(lambda: image.set_pixel(0, 0, 10)) == ("ValueError", "brightness out of bounds")
    assert error_of(lambda: image.fill(-1)) == ("ValueError", "brightness out of bounds")
    assert error_of(lambda: image.get_pixel(1.0, 0)) == ("TypeError", "can't convert float to int")
    assert error_of(lambda: image.get_pixel(1)) == (
        "TypeError", "function takes 3 positional arguments but 2 were given")
    image.fill(4)
    assert pixels(image) == "44444:" * 4 + "44444"


def test_crop_shift_invert():
    heart = Image.HEART
    assert repr(heart.crop(-1, -1, 3, 3)) == "Image('000:009:099:')"  # outside is 0
    assert repr(heart.crop(0, 0, -2, 3)) == "Image(':::')"  # negative size counts as 0
    assert repr(heart.shift_left(-1)) == "Image('00909:09999:09999:00999:00090:')"
    assert repr(heart.shift_up(2)) == "Image('99999:09990:00900:00000:00000:')"
    assert pixels(heart.shift_right(1)) == pixels(heart.shift_left(-1))
    assert pixels(heart.shift_down(1)) == "00000:09090:99999:99999:09990"
    assert repr(Image("123:456:").shift_left(1)) == "Image('230:560:')"  # keeps the size
    assert repr(Image("09:").invert()) == "Image('90:')"


def test_blit():
    target = Image("99:99:")
    target.blit(Image("12:34:"), 1, 1, 2, 2)
    assert repr(target) == "Image('40:00:')"  # what falls outside the source becomes 0
    target.blit(Image("12:34:"), 0, 0, 1, 1, 1, 1)
    assert repr(target) == "Image('40:01:')"
    assert error_of(lambda: Image().blit(5, 0, 0, 1, 1)) == ("TypeError", "expecting an image")
    assert error_of(lambda: Image().blit(Image(), 0, 0, 1, 1, 1)) == (
        "TypeError", "must specify both offsets")
    assert error_of(lambda: Image().blit(Image(), 0, 0, -1, 1)) == (
        "ValueError", "size cannot be negative")


# -- operators ---------------------------------------------------------------------------------
def test_add_subtract_multiply_divide():
    assert repr(Image("95:") + Image("27:")) == "Image('99:')"  # capped at 9
    assert repr(Image("95:") - Image("27:")) == "Image('70:')"  # at least 0
    assert repr(Image("15:") * 1.5) == "Image('28:')"  # rounded half up
    assert repr(Image("95:") / 2) == "Image('53:')"
    assert repr(Image("19:91:") * 0.5) == "Image('15:51:')"
    # The firmware's multiply loop runs rows up to the width: taller images lose rows.
    assert repr(Image("11:11:11:") * 2) == "Image('22:22:00:')"
    assert repr(Image("9:9:9:9:") * 0.5) == "Image('5:0:0:0:')"
    # Division by 0 is a multiply by inf in C: every pixel 9, no ZeroDivisionError.
    assert repr(Image("90:") / 0) == "Image('99:')"


def test_operator_errors():
    assert error_of(lambda: Image() + Image(2, 2)) == ("ValueError",
                                                       "images must be the same size")
    assert error_of(lambda: Image() * -1) == ("ValueError",
                                              "brightness multiplier must not be negative")
    assert error_of(lambda: Image("90:") / -0.0) == (
        "ValueError", "brightness multiplier must not be negative")
    assert error_of(lambda: Image() + 1) == (
        "TypeError", "unsupported types for __add__: 'MicroBitImage', 'int'")
    assert error_of(lambda: 1 + Image()) == (
        "TypeError", "unsupported types for __add__: 'int', 'MicroBitImage'")
    assert error_of(lambda: Image(2, 2) - 3) == (
        "TypeError", "unsupported types for __sub__: 'MicroBitImage', 'int'")
    assert error_of(lambda: Image() * "a") == ("TypeError", "can't convert str to float")
    assert error_of(lambda: Image() * Image()) == (
        "TypeError", "can't convert MicroBitImage to float")


def test_no_equality_only_identity():
    assert Image.HEART == Image.HEART
    assert Image.HEART != Image.HEART.copy()
    assert Image("90000:") != Image("90000:")


# -- repr / str --------------------------------------------------------------------------------
def test_repr_and_str():
    assert repr(Image.HEART) == "Image('09090:99999:99999:09990:00900:')"
    assert str(Image.HEART) == ("Image(\n    '09090:'\n    '99999:'\n    '99999:'\n"
                                "    '09990:'\n    '00900:'\n)")
    assert str(Image(0, 0)) == "Image(\n    ''\n)"
    assert repr(Image(0, 2)) == "Image('::')"
    assert repr(type(Image.HEART)) == "<class 'MicroBitImage'>"


def test_repr_round_trips():
    odd = Image(3, 2, bytes([1, 2, 3, 4, 5, 6]))
    for image in [getattr(Image, name) for name, _ in TABLE] + [odd, Image(0, 0), Image(7, 1)]:
        again = Image(repr(image)[len("Image('"):-len("')")])
        assert pixels(again) == pixels(image)
        assert (again.width(), again.height()) == (image.width(), image.height())
        # the str form is Python source for the same image, too
        source = str(image)
        assert pixels(eval(source, {"Image": Image})) == pixels(image)


def test_round_trip_and_printing_in_a_program():
    program = ("from microbit import *\nimg = Image('12345:6789 :')\n"
               "again = eval(repr(img))\nprint(repr(again), again is img)\nprint(img)\n"
               "print(type(img))\n")
    assert run_program(program).text == ("Image('12345:67890:') False\n"
                                         "Image(\n    '12345:'\n    '67890:'\n)\n"
                                         "<class 'MicroBitImage'>\n")


# -- wording on each board ---------------------------------------------------------------------
ERRORS = ("from microbit import *\n"
          "for f in (lambda: Image(width=2, height=2), lambda: 2 * Image(), lambda: -Image(),\n"
          "          lambda: Image() + 1):\n"
          "    try:\n        f()\n    except TypeError as e:\n        print(e)\n")


def test_error_wording_v2():
    assert run_program(ERRORS, board="v2").text == (
        "function doesn't take keyword arguments\n"
        "unsupported types for __mul__: 'int', 'MicroBitImage'\n"
        "unsupported type for __neg__: 'MicroBitImage'\n"
        "unsupported types for __add__: 'MicroBitImage', 'int'\n")


def test_error_wording_v1_as_measured():
    assert run_program(ERRORS, board="v1").text == (
        "function does not take keyword arguments\n"
        "unsupported types for : 'int', 'MicroBitImage'\n"
        "unsupported type for : 'MicroBitImage'\n"
        "unsupported types for __add__: 'MicroBitImage', 'int'\n")


def test_uncaught_image_error_traceback():
    result = run_program("from microbit import *\nImage.HEART.set_pixel(0, 0, 9)\n")
    assert result.text.endswith('  File "main.py", line 2, in <module>\n'
                                "TypeError: image cannot be modified (try copying first)\n")
