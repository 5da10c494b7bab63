"""``microbit.display``: pixels, show/scroll frames and timing, background animations,
the error scroll after an uncaught exception, panic, on/off and the light level.

Timings are compared with the real V1 firmware under QEMU (``running_time()`` around
each call, see the numbers in the comments): frames last ``delay`` rounded up to the
6 ms display tick, and an animation of N frames returns N frame times after it started.
"""

from __future__ import annotations

from tests.sim.runner import run_program
from ubit.sim.micropython.api.display import scroll_frames
from ubit.sim.micropython.api.image import MicroBitImage as Image

BLANK = [[0] * 5 for _ in range(5)]


def grid(image: Image) -> list[list[int]]:
    """What the display shows for a 5×5 image."""
    return [[image.get_pixel(x, y) for x in range(5)] for y in range(5)]


def glyph(char: str) -> list[list[int]]:
    """The display showing one character of the font."""
    return grid(Image(char))


def display_states(result) -> list[tuple[int, list[list[int]]]]:
    """(ms, rows) of every display change the board published."""
    return [(t, value) for t, part, value in result.states if part == "display"]


def deduplicated(frames) -> list[list[list[int]]]:
    """Frames as the host sees them: a frame equal to the one before isn't published again."""
    seen: list[list[list[int]]] = []
    for frame in frames:
        if not seen or frame != seen[-1]:
            seen.append(frame)
    return seen


def lines(result) -> list[str]:
    return result.text.splitlines()


# -- pixels ------------------------------------------------------------------------------------
def test_set_pixel_outside_the_display_is_an_error():
    for board in ("v1", "v2"):
        result = run_program("from microbit import *\ndisplay.set_pixel(5, 0, 9)\n", board=board)
        assert result.status == "error"
        assert result.text.endswith("line 2, in <module>\nValueError: index out of bounds\n")


def test_pixel_errors_and_values():
    program = """from microbit import *
display.set_pixel(1, 2, 7)
print(display.get_pixel(1, 2), display.get_pixel(0, 0))
for f in (lambda: display.set_pixel(0, 0, 10), lambda: display.get_pixel(-1, 0),
          lambda: display.set_pixel(0, 0, 'a'), lambda: display.set_pixel(0.5, 0, 3),
          lambda: display.get_pixel(0), lambda: display.set_pixel(0, 0)):
    try:
        f()
    except Exception as e:
        print(str(type(e))[8:-2], e)  # V1 types have no __name__
"""
    result = run_program(program)
    assert lines(result) == [
        "7 0",
        "ValueError brightness out of bounds",
        "ValueError index out of bounds",
        "TypeError can't convert str to int",
        "TypeError can't convert float to int",
        "TypeError function takes 3 positional arguments but 2 were given",
        "TypeError function takes 4 positional arguments but 3 were given",
    ]
    expected = [row[:] for row in BLANK]
    expected[2][1] = 7
    assert display_states(result) == [(0, expected)]


# -- show --------------------------------------------------------------------------------------
def test_show_an_image_or_one_character_at_once():
    program = """from microbit import *
display.show(Image.HEART)
display.show('A', delay=5000)
display.show(Image('99999:99999'))
print(running_time(), display.get_pixel(0, 1), display.get_pixel(0, 2))
"""
    result = run_program(program)
    assert lines(result) == ["0 9 0"]  # returns at once; a smaller image leaves the rest blank
    top = [[9] * 5, [9] * 5] + [[0] * 5 for _ in range(3)]
    assert [rows for _, rows in display_states(result)] == [grid(Image.HEART), glyph("A"), top]


def test_show_a_string_one_letter_per_delay():
    program = ("from microbit import *\nstart = running_time()\ndisplay.show('Hi!')\n"
               "print(running_time() - start)\n")
    result = run_program(program)
    # 3 frames of 400 ms, each rounded up to the 6 ms tick: 402 ms (V1 firmware: 1205 ms).
    assert lines(result) == ["1206"]
    assert display_states(result) == [(0, glyph("H")), (402, glyph("i")), (804, glyph("!"))]


def test_show_a_list_of_images_and_characters():
    program = ("from microbit import *\nstart = running_time()\n"
               "display.show([Image.HEART, 'A', Image.SAD], delay=100)\n"
               "print(running_time() - start)\n")
    result = run_program(program)
    assert lines(result) == ["306"]  # 100 ms is 17 ticks: 102 ms a frame
    assert display_states(result) == [(0, grid(Image.HEART)), (102, glyph("A")),
                                      (204, grid(Image.SAD))]


def test_show_numbers_as_their_text():
    result = run_program("from microbit import *\ndisplay.show(42, delay=60)\n"
                         "display.show(1.5, delay=60)\ndisplay.show(7)\n")
    assert [rows for _, rows in display_states(result)] == [
        glyph("4"), glyph("2"), glyph("1"), glyph("."), glyph("5"), glyph("7")]


def test_show_delays_measured_on_the_v1_firmware():
    program = """from microbit import *
def t(f):
    a = running_time()
    f()
    return running_time() - a
print(t(lambda: display.show('Hello')), t(lambda: display.show('AB')),
      t(lambda: display.show('AB', clear=True)), t(lambda: display.show('AB', delay=100)),
      t(lambda: display.show('AB', delay=1)), t(lambda: display.show('AB', delay=0)),
      t(lambda: display.show(Image.HEART, clear=True)), t(lambda: display.show('A')))
"""
    # QEMU, V1 firmware: 2009 803 1205 203 11 11 803 0 (its tick phase differs by < 6 ms)
    for board in ("v1", "v2"):
        assert lines(run_program(program, board=board)) == ["2010 804 1206 204 12 12 804 0"]


def test_clear_true_blanks_after_one_more_delay():
    program = ("from microbit import *\nstart = running_time()\n"
               "display.show('AB', delay=100, clear=True)\nprint(running_time() - start)\n")
    result = run_program(program)
    assert lines(result) == ["306"]
    assert display_states(result) == [(0, glyph("A")), (102, glyph("B")), (204, BLANK)]


def test_wait_false_animates_while_the_program_sleeps():
    program = """from microbit import *
display.show('ABC', delay=200, wait=False)
print(running_time())
sleep(500)
print(running_time(), display.get_pixel(0, 0), display.get_pixel(1, 0))
"""
    result = run_program(program)
    assert lines(result) == ["0", "500 0 9"]  # at 500 ms 'C' (09990) has been up for 96 ms
    assert display_states(result) == [(0, glyph("A")), (204, glyph("B")), (408, glyph("C"))]


def test_loop_repeats_until_stopped():
    result = run_program("from microbit import *\n"
                         "display.show(['A', Image.HEART], delay=100, loop=True)\n",
                         time_limit_ms=1000)
    assert result.status == "timeout"
    states = display_states(result)
    assert [t for t, _ in states] == [102 * i for i in range(10)]
    assert [rows for _, rows in states] == [glyph("A"), grid(Image.HEART)] * 5


def test_a_new_show_cancels_a_running_animation():
    program = """from microbit import *
display.scroll('Hello', wait=False)
sleep(400)
display.show(Image.HEART)
sleep(3000)
print(display.get_pixel(1, 0))
"""
    result = run_program(program)
    assert lines(result) == ["9"]
    states = display_states(result)
    assert states[-1] == (400, grid(Image.HEART))  # no frame after it


def test_items_that_are_not_images():
    program = """from microbit import *
display.show(['A', 'BC', 'D'], delay=50)
print(running_time())
display.show([Image.HEART, 5], delay=50)
"""
    result = run_program(program)
    # A longer string stops the animation silently; anything else raises "not an image",
    # on V2 at the VM's next jump, here the program's end (pyexec's mp_handle_pending).
    assert result.text.startswith("54\n")
    assert result.text.endswith("\nTypeError: not an image\n")
    assert [rows for _, rows in display_states(result)][:2] == [glyph("A"), grid(Image.HEART)]


def test_an_error_in_a_background_animation_reaches_the_program():
    program = """from microbit import *
def frames():
    yield Image.HEART
    raise ValueError('boom')
display.show(frames(), delay=100, wait=False)
sleep(1000)
print('not reached')
"""
    result = run_program(program)
    assert result.status == "error"
    assert "line 6, in <module>" in result.text  # raised in the sleep, at the next frame
    assert result.text.endswith("ValueError: boom\n")


def test_argument_rules():
    program = """from microbit import *
for f in (lambda: display.show('ab', 10, False), lambda: display.show(),
          lambda: display.show('a', foo=1), lambda: display.show(None),
          lambda: display.show('ab', delay=1.5), lambda: display.scroll([1]),
          lambda: display.scroll(None), lambda: display.scroll('a', 10, True),
          lambda: display.show([], loop=True),
          lambda: display.show((c for c in 'ab'), loop=True)):
    try:
        f()
        print('ok')
    except Exception as e:
        print(str(type(e))[8:-2], e)  # V1 types have no __name__
"""
    expected = [
        "TypeError extra positional arguments given",
        "TypeError 'image' argument required",
        "TypeError extra keyword arguments given",
        "TypeError 'NoneType' object isn't iterable",
        "TypeError can't convert float to int",
        "TypeError can't convert 'list' object to str implicitly",
        "TypeError can't convert 'NoneType' object to str implicitly",
        "TypeError extra positional arguments given",
        "IndexError list index out of range",  # loop indexes the sequence, as the firmware
        "TypeError object of type 'generator' has no len()",
    ]
    assert lines(run_program(program, board="v2")) == expected
    v1 = lines(run_program(program, board="v1"))
    assert v1[3] == "TypeError 'NoneType' object is not iterable"


# -- scroll ------------------------------------------------------------------------------------
def test_scroll_frame_counts():
    def count(text: bytes, monospace: bool = False) -> int:
        return len(list(scroll_frames(text, monospace, False)))

    # reference §5.2: Σ(columns + 1) + 4 frames; an empty text is 5 blank frames
    assert (count(b"A"), count(b"Hi"), count(b""), count(b"Hello")) == (9, 12, 5, 27)
    assert (count(b"A", True), count(b"AB", True), count(b"Hello", True)) == (10, 16, 34)
    frames = list(scroll_frames(b"A", False, False))
    assert [row[4] for row in frames[0]] == [0, 9, 9, 9, 9]  # column 0 of 'A' comes in first
    assert frames[3] == [[0] + row[:4] for row in glyph("A")]
    assert frames[-1] == BLANK
    # non-ASCII text scrolls one '?' per UTF-8 byte
    assert list(scroll_frames("é".encode(), False, False)) == list(
        scroll_frames(b"??", False, False))


def test_scroll_durations_measured_on_the_v1_firmware():
    program = """from microbit import *
def t(f):
    a = running_time()
    f()
    return running_time() - a
print(t(lambda: display.scroll('Hello')), t(lambda: display.scroll('Hello', monospace=True)),
      t(lambda: display.scroll('A')), t(lambda: display.scroll('')),
      t(lambda: display.scroll('Hello', delay=100)))
"""
    # QEMU, V1 firmware: 4046 5097 1349 749 2752
    for board in ("v1", "v2"):
        assert lines(run_program(program, board=board)) == ["4050 5100 1350 750 2754"]


def test_scroll_frames_and_their_times():
    result = run_program("from microbit import *\ndisplay.scroll('Hi', delay=60)\n"
                         "print(running_time())\n")
    assert lines(result) == ["720"]  # 12 frames of 60 ms
    frames = list(scroll_frames(b"Hi", False, False))
    changes = [(60 * i, frame) for i, frame in enumerate(frames)
               if i == 0 or frame != frames[i - 1]]
    assert display_states(result) == changes  # frame i at i × 60 ms
    assert changes[-1][1] == BLANK


def test_scroll_in_the_background_and_looping():
    program = """from microbit import *
display.scroll('Hi', delay=50, wait=False, loop=True)
sleep(2000)
print(running_time())
"""
    result = run_program(program)
    assert lines(result) == ["2000"]
    one_pass = deduplicated(scroll_frames(b"Hi", False, False))
    states = [rows for _, rows in display_states(result)]
    assert len(states) > 2 * len(one_pass)  # 40 frames in 2 s: more than three passes
    assert states[:len(one_pass)] == one_pass


# -- clear, on/off -----------------------------------------------------------------------------
CLEAR_PROGRAM = """from microbit import *
display.show('AB', delay=100, wait=False)
sleep(30)
display.clear()
print([display.get_pixel(x, 0) for x in range(5)])
sleep(200)
print([display.get_pixel(x, 0) for x in range(5)])
"""


def test_clear_on_v1_stops_the_animation():
    # measured on the V1 firmware: blank, and still blank once 'B' would have been due
    assert lines(run_program(CLEAR_PROGRAM, board="v1")) == ["[0, 0, 0, 0, 0]"] * 2


def test_clear_on_v2_leaves_the_animation_running():
    # reference §5: v2.1.2 clears the LEDs but the next frame is drawn all the same
    assert lines(run_program(CLEAR_PROGRAM, board="v2")) == ["[0, 0, 0, 0, 0]",
                                                            "[9, 9, 9, 0, 0]"]


OFF_PROGRAM = """from microbit import *
display.off()
display.show('AB', delay=100, wait=False)
sleep(1000)
print(display.is_on(), [display.get_pixel(x, 0) for x in range(5)])
display.on()
sleep(150)
print(display.is_on(), [display.get_pixel(x, 0) for x in range(5)])
"""


def test_off_pauses_animations_on_v1():
    # measured on the V1 firmware: 'A' still up after a second off, 'B' once it is on again
    result = run_program(OFF_PROGRAM, board="v1")
    assert lines(result) == ["False [0, 9, 9, 0, 0]", "True [9, 9, 9, 0, 0]"]
    states = display_states(result)
    # dark while off; the next frame comes 17 ticks after the display is on again. The
    # print before on() takes 2 ms of board time at 115200 baud (QEMU's UART takes none,
    # a board's does), which moves both 2 ms, and the frame to the tick after: 6 ms; the
    # program's own work before display.off() (the cost model) 1 ms more.
    assert states == [(1003, glyph("A")), (1104, glyph("B"))]


def test_off_on_v2_keeps_animating_unseen():
    result = run_program(OFF_PROGRAM, board="v2")
    assert lines(result) == ["False [9, 9, 9, 0, 0]", "True [9, 9, 9, 0, 0]"]
    assert display_states(result) == [(1002, glyph("B"))]  # after the print's 2 ms


def test_off_frees_the_display_pins_and_on_takes_them_back():
    program = """from microbit import *
print(pin3.get_mode())
display.off()
print(pin3.get_mode())
pin3.write_digital(1)
display.on()
print(pin3.get_mode(), display.is_on())
"""
    for board in ("v1", "v2"):
        assert lines(run_program(program, board=board)) == ["display", "unused", "display True"]


def test_light_level_from_the_host():
    program = ("from microbit import *\nprint(display.read_light_level())\nsleep(1000)\n"
               "print(display.read_light_level())\nsleep(1000)\n"
               "print(display.read_light_level())\n")
    result = run_program(program, inputs=[(500, "light", 200), (1500, "light", 0)])
    assert lines(result) == ["127", "200", "0"]  # starts at 127
    refused = run_program(program, inputs=[(500, "light", 999)])
    assert (refused.status, refused.text) == ("refused", "")  # the program never ran
    assert "light: out of range: 999; it takes a number from 0 to 255" in refused.error


# -- errors and panic on the LEDs --------------------------------------------------------------
ERROR_PROGRAM = "x = 1\nprint(y)\n"


def test_uncaught_error_v2_shows_a_sad_face_then_scrolls_the_error():
    result = run_program(ERROR_PROGRAM, board="v2")
    assert result.status == "error"
    text = b"line 2 NameError name 'y' isn't defined"
    frames = list(scroll_frames(text, False, False))
    states = display_states(result)
    assert states[0] == (0, grid(Image.SAD))
    assert states[1] == (1000, frames[0])  # after 1 s the scroll starts
    assert [rows for _, rows in states[1:]] == deduplicated(frames)
    assert abs(result.end_ms - (1000 + 150 * len(frames))) < 6


def test_uncaught_error_v1_only_scrolls():
    result = run_program(ERROR_PROGRAM, board="v1")
    frames = list(scroll_frames(b"line 2 NameError name 'y' is not defined", False, False))
    states = display_states(result)
    assert [rows for _, rows in states] == deduplicated(frames)[1:]  # it starts blank
    assert grid(Image.SAD) not in [rows for _, rows in states]
    assert abs(result.end_ms - 150 * len(frames)) < 6  # about 28 s, as on the firmware


def test_no_led_message_for_a_caught_error_or_sys_exit():
    result = run_program("import sys\ntry:\n    1/0\nexcept ZeroDivisionError:\n    pass\n"
                         "sys.exit()\n")
    assert display_states(result) == []


def test_panic_cycles_the_face_and_the_code_until_the_time_limit():
    result = run_program("from microbit import *\npanic(42)\n", time_limit_ms=3000)
    assert (result.status, result.error, result.end_ms) == ("panic", "panic(42)", 3000)
    face = [[9, 9, 0, 9, 9], [9, 9, 0, 9, 9], [0] * 5, [0, 9, 9, 9, 0], [9, 0, 0, 0, 9]]
    assert display_states(result) == [(0, face), (600, glyph("0")), (1200, glyph("4")),
                                      (1800, glyph("2")), (2400, face)]


def test_panic_repeated_digits_have_a_gap_and_codes_above_999_show_0():
    result = run_program("from microbit import *\npanic(1000)\n", time_limit_ms=2500)
    assert [rows for _, rows in display_states(result)][1:6] == [
        glyph("0"), BLANK, glyph("0"), BLANK, glyph("0")]
    assert run_program("from microbit import *\npanic()\n").error == "panic(999)"


def test_a_background_scroll_left_running_plays_to_its_end():
    result = run_program("from microbit import *\ndisplay.scroll('Hi', wait=False)\n"
                         "print('end')\n")
    assert result.text == "end\n"
    assert result.end_ms == 12 * 150  # 'Hi' is 12 frames of 150 ms, as on the device
    assert result.state["display"] == [[0] * 5] * 5  # a scroll ends blank
    looping = run_program("from microbit import *\n"
                          "display.scroll('Hi', wait=False, loop=True)\n")
    assert looping.end_ms == 0  # would never end: the run ends with the program


def test_a_bool_is_shown_and_scrolled_as_its_text():
    # mp_obj_is_integer counts bools (1.9.2 and 1.18 py/obj.h): show(True) shows "True"
    # letter by letter (the V1 firmware under QEMU ends on the 'e'), scroll(True) scrolls it
    program = """from microbit import *
display.show(True, delay=20)
print([display.get_pixel(x, 2) for x in range(5)])
display.scroll(False, delay=10)
print('scrolled')
"""
    for board in ("v1", "v2"):
        result = run_program(program, board=board)
        assert lines(result) == [str(glyph("e")[2]), "scrolled"], result.text
