"""Pins: classes, modes and their errors, pulls per board, digital/analog I/O and touch (§8).

V1 expectations were measured on the real V1 firmware under QEMU (pull values after
each operation, the 16 µs PWM period ticks, every error message); V2 ones come from
the fact sheet.
"""

from __future__ import annotations

import textwrap
from typing import Any

import pytest

from tests.sim.runner import Result, run_program
from ubit.sim.board.board import Board
from ubit.sim.board.clock import Clock
from ubit.sim.board.parts import pins as pins_part
from ubit.sim.micropython.api import accelerometer as accelerometer_api
from ubit.sim.micropython.api import buttons as buttons_api
from ubit.sim.micropython.api import compass as compass_api
from ubit.sim.micropython.api import pins as pins_api
from ubit.sim.shared.boards import V1, V2, BoardSpec


def run(source: str, **kwargs: Any) -> Result:
    """Run a dedented program (``from microbit import *`` first) on a virtual board."""
    return run_program("from microbit import *\n" + textwrap.dedent(source), **kwargs)


def trying(*calls: str) -> str:
    """A program printing each call's result, or its exception type and message."""
    lines = ["def t(f):", "    try:", "        print(repr(f()))", "    except Exception as e:",
             "        print(type(e) is ValueError and 'ValueError' or 'TypeError', e)"]
    return "\n".join(lines + [f"t(lambda: {call})" for call in calls]) + "\n"


def pins(spec: BoardSpec = V2) -> tuple[pins_part.Pins, list[tuple[str, Any]]]:
    """An in-process pins part and the states it publishes."""
    published: list[tuple[str, Any]] = []
    dev = Board(spec, Clock(virtual=True), None, {},  # type: ignore[arg-type]
                 lambda part, value: published.append((part, value)))
    return pins_part.of(dev), published


# -- objects and classes -----------------------------------------------------------------------
def test_pin_classes_v2():
    result = run("""
        for p in (pin0, pin3, pin5, pin_logo, pin_speaker):
            print(type(p), p)
        print(hasattr(pin_speaker, 'read_analog'), hasattr(pin8, 'read_analog'))
        print(hasattr(pin_logo, 'read_digital'), pin_logo.CAPACITIVE, pin0.RESISTIVE)
        print(hasattr(pin3, 'is_touched'), hasattr(pin5, 'is_touched'))
    """)
    assert result.text == (
        "<class 'MicroBitTouchPin'> <MicroBitTouchPin>\n"
        "<class 'MicroBitAnalogDigitalPin'> <MicroBitAnalogDigitalPin>\n"
        "<class 'MicroBitDigitalPin'> <MicroBitDigitalPin>\n"
        "<class 'MicroBitTouchOnlyPin'> <MicroBitTouchOnlyPin>\n"
        "<class 'MicroBitDigitalPin'> <MicroBitDigitalPin>\n"
        "False False\nFalse 1 0\nFalse False\n")


def test_pin_objects_v1():
    result = run("""
        import microbit
        names = [n for n in dir(microbit) if n.startswith('pin')]
        print(sorted(names, key=lambda n: int(n[3:])))
        print(hasattr(pin0, 'set_touch_mode'), hasattr(pin0, 'is_touched'))
        pin_logo
    """, board="v1")
    lines = result.text.splitlines()
    assert lines[0] == str([f"pin{n}" for n in (*range(17), 19, 20)])
    assert lines[1] == "False True"
    assert lines[-1] == "NameError: name 'pin_logo' is not defined"


def test_attribute_tables_are_the_v1_firmware_s():
    """``dir()`` lists under QEMU, in the firmware's order (CPython's dir() sorts them)."""
    ns: dict[str, Any] = {}
    dev = Board(V1, Clock(virtual=True), None, {}, lambda part, value: None)  # type: ignore[arg-type]
    for area in (pins_api, buttons_api, accelerometer_api, compass_api):
        area.contribute(dev, ns)
    pull = ["PULL_UP", "PULL_DOWN", "NO_PULL", "get_pull", "set_pull", "get_mode"]
    periods = ["set_analog_period", "set_analog_period_microseconds",
               "get_analog_period_microseconds"]
    digital = ["write_digital", "read_digital", "write_analog"]
    assert ns["pin0"].__dir__() == digital + ["read_analog", *periods, "is_touched", *pull]
    assert ns["pin3"].__dir__() == digital + ["read_analog", *periods, *pull]
    assert ns["pin8"].__dir__() == digital + periods + pull
    assert ns["button_a"].__dir__() == ["is_pressed", "was_pressed", "get_presses"]
    assert ns["accelerometer"].__dir__() == [
        "get_x", "get_y", "get_z", "get_values", "get_strength", "current_gesture",
        "is_gesture", "was_gesture", "get_gestures", "set_range"]
    assert ns["compass"].__dir__() == ["heading", "is_calibrated", "calibrate",
                                       "clear_calibration", "get_x", "get_y", "get_z",
                                       "get_field_strength"]


def test_no_such_method_is_an_attribute_error():
    result = run("pin5.read_analog()\n", board="v1")
    assert result.text.endswith(
        "AttributeError: 'MicroBitDigitalPin' object has no attribute 'read_analog'\n")


@pytest.mark.parametrize(("board", "pulls"), [("v1", "3 1 0"), ("v2", "0 1 2")])
def test_pull_constants_per_board(board, pulls):
    result = run("print(pin0.PULL_UP, pin3.PULL_DOWN, pin_speaker.NO_PULL if 'pin_speaker' in "
                 "dir() else pin8.NO_PULL)\n", board=board)
    assert result.text == pulls + "\n"


# -- modes -------------------------------------------------------------------------------------
@pytest.mark.parametrize(("board", "display"), [("v1", (3, 4, 6, 7, 9, 10)),
                                                ("v2", (3, 4, 6, 7, 10))])
def test_initial_modes(board, display):
    numbers = (*range(17), 19, 20)
    result = run(f"print([p.get_mode() for p in ({', '.join(f'pin{n}' for n in numbers)})])\n",
                 board=board)
    expected = ["display" if n in display else "button" if n in (5, 11) else
                "i2c" if n in (19, 20) else "unused" for n in numbers]
    assert result.text == str(expected) + "\n"


def test_mode_errors_have_the_firmware_messages():
    result = run(trying(
        "pin3.read_analog()", "pin3.read_digital()", "pin4.write_digital(1)",
        "pin10.write_analog(5)", "pin6.set_pull(pin6.PULL_UP)", "pin7.get_pull()",
        "pin5.write_digital(1)", "pin11.write_analog(5)", "pin19.write_digital(1)",
        "pin20.read_digital()", "pin8.get_pull()", "pin0.write_digital(1)", "pin0.get_pull()",
        "pin0.is_touched()", "pin0.get_pull()", "pin0.get_mode()"), board="v1")
    assert result.text.splitlines() == [
        "ValueError Pin 3 in display mode", "ValueError Pin 3 in display mode",
        "ValueError Pin 4 in display mode", "ValueError Pin 10 in display mode",
        "ValueError Pin 6 in display mode", "ValueError Pin 7 in display mode",
        "ValueError Pin 5 in button mode", "ValueError Pin 11 in button mode",
        "ValueError Pin 19 in i2c mode", "ValueError Pin 20 in i2c mode",
        "ValueError Pin 8 in unused mode", "None", "ValueError Pin 0 in write_digital mode",
        "False", "ValueError Pin 0 in touch mode", "'touch'"]


def test_value_errors_have_the_firmware_messages():
    calls = ("pin0.write_digital(2)", "pin0.write_digital(-1)", "pin0.write_digital(True)",
             "pin0.write_digital(1.0)", "pin0.write_digital('1')", "pin0.write_analog(1024)",
             "pin0.write_analog(-1)", "pin0.write_analog('x')", "pin1.set_analog_period(2000)",
             "pin1.set_analog_period_microseconds(255)", "pin1.set_analog_period(1.5)",
             "pin2.set_pull(1.0)")
    expected = ["ValueError value must be 0 or 1", "ValueError value must be 0 or 1", "None",
                "TypeError can't convert float to int", "TypeError can't convert str to int",
                "ValueError value must be between 0 and 1023",
                "ValueError value must be between 0 and 1023",
                "TypeError can't convert str to int", "ValueError invalid period",
                "ValueError invalid period", "TypeError can't convert float to int",
                "TypeError can't convert float to int"]
    for board in ("v1", "v2"):
        assert run(trying(*calls), board=board).text.splitlines() == expected


def test_invalid_pull_is_refused_only_on_v1():
    program = trying("pin8.set_pull(2)", "pin8.get_pull()")
    assert run(program, board="v1").text.splitlines()[0] == "ValueError invalid pull"
    assert run(program, board="v2").text.splitlines() == ["None", "2"]


def test_acquire_and_release_for_other_areas():
    part, published = pins(V2)
    with pytest.raises(ValueError, match="^Pin 3 in display mode$"):
        part.acquire(3, "music")
    part.release("pin3")  # display.off()
    assert part.acquire(3, "write_digital") and part.mode_of(3) == "write_digital"
    assert part.acquire(3, "display", force=True)  # display.on() takes its pins back
    assert ("pin3", {"mode": "unused", "value": None, "touched": False}) in published
    assert part.acquire(0, "music")
    assert part.acquire(0, "read_digital") and part.mode_of(0) == "read_digital"
    part.acquire(0, "music")
    part.set_playing(0, True)  # V2: only a playing pin refuses (§8.3)
    with pytest.raises(ValueError, match="^Pin 0 in music mode$"):
        part.is_touched(0)
    part.release(0, mode="audio")  # not in that mode: nothing happens
    assert part.mode_of(0) == "music"
    part.acquire(13, "spi")
    with pytest.raises(ValueError, match="^Pin 13 in spi mode$"):
        part.read_digital(13)


def test_music_mode_always_refuses_on_v1():
    part, _ = pins(V1)
    part.acquire(0, "music")
    with pytest.raises(ValueError, match="^Pin 0 in music mode$"):
        part.write_digital(0, 1)
    part.release(0, mode="music")
    assert part.mode_of(0) == "unused"


# -- digital input and pulls -------------------------------------------------------------------
def test_pulls_v1_as_measured():
    result = run("""
        print(pin5.get_pull(), pin5.read_digital(), pin5.get_mode())
        print(pin0.read_digital(), pin0.get_pull(), pin0.get_mode())
        pin0.set_pull(pin0.PULL_UP)
        print(pin0.read_digital(), pin0.get_pull())
        pin8.set_pull(pin8.NO_PULL)
        print(pin8.get_mode(), pin8.get_pull(), pin8.read_digital(), pin8.get_pull())
        pin5.set_pull(pin5.PULL_DOWN)
        print(pin5.get_mode(), pin5.get_pull())
    """, board="v1")
    assert result.text == ("3 1 button\n0 1 read_digital\n1 3\nread_digital 0 0 0\n"
                           "button 1\n")


def test_pulls_v2_report_what_was_set():
    result = run("""
        print(pin5.get_pull(), pin0.read_digital(), pin0.get_pull())
        pin0.set_pull(pin0.PULL_UP)
        print(pin0.read_digital(), pin0.get_pull())
        pin0.set_pull(pin0.NO_PULL)
        pin8.set_pull(pin8.NO_PULL)
        print(pin0.read_digital(), pin8.read_digital(), pin0.get_pull())
    """)
    # the HAL's table starts at 0 (= PULL_UP) although the pin reads pulled down (§8.2);
    # pins 0-2 float high through their external pull-ups
    assert result.text == "0 0 0\n1 0\n1 0 2\n"


def test_button_pins_read_the_buttons():
    result = run("""
        print(pin5.read_digital(), pin11.read_digital())
        sleep(200)
        print(pin5.read_digital(), pin11.read_digital(), pin5.get_mode())
    """, inputs=[(100, "button_a", True)])
    assert result.text == "1 1\n0 1 button\n"


# -- outputs -----------------------------------------------------------------------------------
def test_write_digital_publishes_the_level():
    result = run("pin1.write_digital(1)\nsleep(10)\npin1.write_digital(0)\n")
    states = [(t, value) for t, part, value in result.states if part == "pin1"]
    assert [value for _, value in states] == [
        {"mode": "write_digital", "value": 1, "touched": False},
        {"mode": "write_digital", "value": 0, "touched": False}]
    assert states[1][0] >= 10


def test_write_analog_rounds_and_zero_frees_the_pin():
    result = run("""
        pin2.write_analog(511.5)
        print(pin2.get_mode())
        pin2.write_analog(-0.4)
        print(pin2.get_mode())
    """)
    assert result.text == "write_analog\nunused\n"
    pin2 = [value for _, part, value in result.states if part == "pin2"]
    assert pin2 == [{"mode": "write_analog", "value": 512, "touched": False},
                    {"mode": "write_analog", "value": 0, "touched": False},
                    {"mode": "unused", "value": None, "touched": False}]


def test_analog_period_v1_is_shared_and_in_16_us_ticks():
    result = run("""
        print(pin0.get_analog_period_microseconds())
        pin0.set_analog_period_microseconds(1001)
        print(pin0.get_analog_period_microseconds(), pin1.get_analog_period_microseconds())
        pin1.set_analog_period(1000)
        print(pin0.get_analog_period_microseconds())
    """, board="v1")
    assert result.text == "20000\n992 992\n1000000\n"


def test_analog_period_v2_is_per_pin():
    result = run("""
        print(pin0.get_analog_period_microseconds())
        pin0.write_analog(100)
        print(pin0.get_analog_period_microseconds())
        pin1.set_analog_period(3)
        print(pin1.get_analog_period_microseconds(), pin1.get_mode())
        print(pin2.get_analog_period_microseconds())
        pin0.write_digital(0)
        print(pin0.get_analog_period_microseconds())
    """)
    assert result.text == "-1\n20000\n3000 unused\n-1\n-1\n"


def test_read_analog_sees_the_host_level():
    result = run("""
        print(pin1.read_analog(), pin1.get_mode())
        sleep(100)
        print(pin1.read_analog(), pin1.read_digital())
        sleep(100)
        print(pin1.read_analog())
    """, inputs=[(50, "pin1", 700), (150, "pin1", None)])
    assert result.text == "0 unused\n700 1\n0\n"


# -- touch -------------------------------------------------------------------------------------
def test_touch_scripted_at_an_instant():
    result = run("""
        print(pin0.is_touched(), pin0.get_mode())
        while not pin0.is_touched():
            pass
        print('touched at', running_time(), pin0.read_digital())
        sleep(300)
        print(pin0.is_touched(), pin_logo.is_touched())
    """, inputs=[(1500, "pin0", True), (1600, "pin0", False), (1700, "pin_logo", True)],
        time_limit_ms=5000)
    assert result.text == "False touch\ntouched at 1500 0\nFalse True\n"
    assert (1500, "pin0", {"mode": "touch", "value": None, "touched": True}) in result.states
    assert (1700, "pin_logo", {"mode": "unused", "value": None, "touched": True}) in result.states


def test_set_touch_mode_v2():
    result = run("""
        pin1.set_touch_mode(pin1.CAPACITIVE)
        pin_logo.set_touch_mode(pin_logo.RESISTIVE)
        print(pin1.get_mode())
    """)
    assert result.text == "touch\n"
