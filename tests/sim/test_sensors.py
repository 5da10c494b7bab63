"""Temperature, compass, V2 microphone/speaker/set_volume and run_every.

Expected behaviour is the fact sheet's: §4 (temperature, set_volume, run_every),
§10 compass, §11 microphone, §12 speaker; V1 must lack every V2 name.
"""

from __future__ import annotations

import textwrap
from typing import Any

import pytest

from tests.sim.runner import Result, run_program
from ubit.sim.board.board import Board
from ubit.sim.board.clock import Clock
from ubit.sim.board.parts import compass as compass_part
from ubit.sim.board.parts import microphone as microphone_part
from ubit.sim.micropython.api import timers
from ubit.sim.shared.boards import V1, V2


def run(source: str, **kwargs: Any) -> Result:
    """Run a dedented program (``from microbit import *`` first) on a virtual board."""
    return run_program("from microbit import *\n" + textwrap.dedent(source), **kwargs)


# -- temperature -------------------------------------------------------------------------------
@pytest.mark.parametrize("board", ["v1", "v2"])
def test_temperature(board):
    result = run("""
        print(temperature())
        sleep(1000)
        print(temperature(), type(temperature()) is int)
    """, board=board, inputs=[(500, "temperature", 30.4)])
    assert result.text == "21\n30 True\n"
    assert (500, "temperature", 30) in result.states


# -- compass -----------------------------------------------------------------------------------
def test_compass_values_and_heading():
    result = run("""
        print(compass.is_calibrated(), compass.get_x(), compass.get_field_strength())
        sleep(100)
        start = running_time()
        print(compass.heading(), compass.is_calibrated(), running_time() - start >= 2000)
        print(compass.get_x(), compass.get_y(), compass.get_z(), compass.get_field_strength())
        compass.clear_calibration()
        print(compass.is_calibrated())
    """, inputs=[(50, "compass_heading", 90), (50, "compass_x", 30000),
                 (50, "compass_y", -40000), (50, "compass_z", 12.6)])
    # heading() calibrates an uncalibrated compass first: here it completes by itself
    assert result.text == "False 0 0\n90 True True\n30000 -40000 13 50000\nFalse\n"
    assert any(part == "compass_calibrated" and value is True
               for _, part, value in result.states)


def test_calibrate_never_hangs_a_headless_run():
    result = run("compass.calibrate()\nprint(compass.is_calibrated(), running_time())\n",
                 board="v1", time_limit_ms=60_000)
    assert result.status == "ok"
    assert result.text == f"True {compass_part.CALIBRATION_MS}\n"


def test_compass_looks_like_the_firmware_s():
    result = run("print(compass, type(compass))\n", board="v1")
    assert result.text == "<MicroBitCompass> <class 'MicroBitCompass'>\n"


# -- microphone (V2) ---------------------------------------------------------------------------
SOUNDS = [(100, "sound", 100), (200, "sound", 200), (300, "sound", 50), (400, "sound", 160),
          (500, "sound", 140), (600, "sound", 10)]


def test_microphone_events_on_threshold_crossings():
    result = run("""
        print(microphone.current_event(), microphone.sound_level())
        sleep(1000)
        print(microphone.get_events())
        print(microphone.current_event(), microphone.is_event(SoundEvent.QUIET))
        print(microphone.was_event(SoundEvent.LOUD), microphone.was_event(SoundEvent.LOUD))
        print(microphone.sound_level(), microphone.get_events())
    """, inputs=SOUNDS)
    assert result.text == (
        "SoundEvent('quiet') 0\n"
        "(SoundEvent('loud'), SoundEvent('quiet'), SoundEvent('loud'), SoundEvent('quiet'))\n"
        "SoundEvent('quiet') True\nTrue False\n10 ()\n")
    assert (0, "microphone", True) in result.states and (200, "sound", 200) in result.states


def test_was_event_empties_the_history():
    result = run("""
        microphone.sound_level()
        sleep(250)
        print(microphone.was_event(SoundEvent.QUIET), microphone.get_events())
        sleep(1000)
        print(microphone.get_events(), microphone.was_event(SoundEvent.QUIET))
    """, inputs=SOUNDS)
    # the LOUD at 200 ms went with the history; its flag stays
    assert result.text == ("False ()\n(SoundEvent('quiet'), SoundEvent('loud'), "
                           "SoundEvent('quiet')) True\n")


def test_thresholds_can_be_moved():
    result = run("""
        microphone.set_threshold(SoundEvent.LOUD, 60)
        sleep(250)
        print(microphone.get_events())
    """, inputs=[(100, "sound", 59), (200, "sound", 61)])
    assert result.text == "(SoundEvent('loud'),)\n"


def test_microphone_hears_nothing_until_first_used():
    result = run("""
        sleep(1000)
        print(microphone.get_events(), microphone.current_event())
    """, inputs=SOUNDS)
    assert result.text == "() SoundEvent('quiet')\n"


def test_sound_events_are_checked():
    result = run("""
        for bad in ('loud', 1, None):
            try:
                microphone.is_event(bad)
            except ValueError as e:
                print(e)
        print(SoundEvent, type(SoundEvent.LOUD), SoundEvent.LOUD is SoundEvent.LOUD)
    """)
    assert result.text == ("invalid sound\ninvalid sound\ninvalid sound\n"
                           "<class 'MicroBitSoundEvent'> <class 'MicroBitSoundEvent'> True\n")


def test_microphone_part_history_and_thresholds():
    mic = microphone_part.Microphone()
    mic.switch_on()
    for _ in range(6):
        mic.set_level(255)
        mic.set_level(0)
    assert len(mic.get_events()) == microphone_part.HISTORY_SIZE == 8
    mic.set_threshold("quiet", 200)  # above LOUD's 150: LOUD moves just above it
    assert (mic.low, mic.high) == (200, 201)
    mic.set_threshold("loud", 20)
    assert (mic.low, mic.high) == (19, 20)
    mic.set_threshold("loud", 999)
    assert mic.high == 255


# -- speaker and volume (V2) -------------------------------------------------------------------
def test_speaker_and_volume():
    result = run("""
        speaker.off()
        set_volume(300)
        set_volume(-5)
        speaker.on()
        print(speaker, hasattr(speaker, 'is_on'))
        set_volume(1.5)
    """)
    speaker = [value for _, part, value in result.states if part == "speaker"]
    assert speaker == [{"on": False, "volume": 255}, {"on": False, "volume": 0},
                       {"on": True, "volume": 0}]
    assert result.text.startswith("<MicroBitSpeaker> False\n")
    assert result.text.endswith("TypeError: can't convert float to int\n")


@pytest.mark.parametrize("name", ["microphone", "SoundEvent", "speaker", "set_volume",
                                  "run_every", "pin_logo", "pin_speaker"])
def test_v1_has_no_v2_names(name):
    result = run(f"print({name})\n", board="v1")
    assert result.text.endswith(f"NameError: name '{name}' is not defined\n")


# -- run_every (V2) ----------------------------------------------------------------------------
def test_run_every_timing_in_virtual_time():
    result = run("""
        def tick():
            print('tick', running_time())
        run_every(tick, ms=250)
        @run_every(s=1)
        def second():
            print('second', running_time())
        print(type(second))
        sleep(2100)
    """)
    # first call one period after scheduling, then every period; a callback due at the same
    # time as another runs after it has printed (10 bytes: 0.9 ms on the serial line)
    assert result.text == ("<class 'run_every'>\ntick 250\ntick 500\ntick 750\ntick 1000\n"
                           "second 1001\ntick 1250\ntick 1500\ntick 1750\ntick 2000\n"
                           "second 2001\n")


def test_run_every_period_arithmetic():
    assert timers.period_ms({"h": 1, "min": 1, "s": 1, "ms": 1}) == 3_661_001
    assert timers.period_ms({"days": 50}) == 50 * 86_400_000 % 2**32  # unsigned 32 bits
    with pytest.raises(TypeError, match="can't convert float to int"):
        timers.period_ms({"s": 0.5})


def test_a_failing_callback_ends_the_program_as_system_exit():
    result = run("""
        count = 0
        def boom():
            global count
            count += 1
            raise ValueError('boom')
        run_every(boom, ms=100)
        try:
            sleep(1000)
        except Exception:
            print('caught by except Exception')
        except BaseException as e:
            print(type(e) is SystemExit, e.args[0], e.args[1], running_time())
        sleep(500)
        print(count)
    """)
    # SystemExit(None, exc) (§1.3): not an Exception; the callback is descheduled
    assert result.text == "True None boom 100\n1\n"


def test_a_failing_callback_is_reported_like_an_uncaught_error():
    result = run("""
        def boom():
            raise ValueError('boom')
        run_every(boom, ms=100)
        sleep(1000)
        print('not reached')
    """)
    assert result.text == ('Traceback (most recent call last):\n'
                           '  File "main.py", line 4, in boom\nValueError: boom\n')
    assert result.status == "error"
    # the error reaches the program at the callback's first run: the sad face shows then
    first_face = next(t for t, part, value in result.states if part == "display" and any(
        any(row) for row in value))
    assert first_face == 100


def test_timers_stop_when_main_py_ends():
    result = run("""
        run_every(lambda: print('tick'), ms=10)
        print('end')
    """)
    assert result.text == "end\n" and result.status == "ok" and result.end_ms < 10


def test_stop_all_cancels_the_timers():
    dev = Board(V2, Clock(virtual=True), None, {}, lambda part, value: None)  # type: ignore[arg-type]
    calls: list[int] = []
    namespace: dict[str, Any] = {}
    timers.contribute(dev, namespace)
    namespace["run_every"](lambda: calls.append(dev.clock.now_ms()), ms=100)
    dev.clock.sleep_ms(250)
    timers.stop_all(dev)
    dev.clock.sleep_ms(250)
    assert calls == [100, 200]
    v1: dict[str, Any] = {}
    timers.contribute(Board(V1, Clock(True), None, {}, print), v1)  # type: ignore[arg-type]
    assert v1 == {}


# -- determinism -------------------------------------------------------------------------------
def test_the_same_scripted_run_gives_the_same_output_twice():
    program = """
        n = 0
        while running_time() < 3000:
            if button_a.was_pressed():
                print('A', running_time(), accelerometer.current_gesture())
            if pin0.is_touched():
                print('touch', running_time())
                sleep(100)
            if microphone.was_event(SoundEvent.LOUD):
                print('loud', running_time(), microphone.sound_level())
            n += 1
        print(n, accelerometer.get_gestures(), temperature())
    """
    inputs = [(250, "button_a", True), (260, "button_a", False), (500, "gesture", "left"),
              (700, "button_a", True), (710, "button_a", False), (900, "pin0", True),
              (1050, "pin0", False), (1300, "sound", 200), (2000, "temperature", 25),
              (2100, "gesture", "shake")]
    first = run(program, inputs=inputs, time_limit_ms=10_000)
    second = run(program, inputs=inputs, time_limit_ms=10_000)
    assert first.text == second.text and first.states == second.states
    assert first.text.startswith("A 250 face up\nA 700 left\ntouch 900\n")
