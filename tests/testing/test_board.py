"""The testing API: every action reaches the program, every observation reads the board."""

from __future__ import annotations

from pathlib import Path

import pytest

from ubit.testing import Image, start

SENSORS = """from microbit import *
import music, speech, radio, neopixel, audio
radio.on()
np = neopixel.NeoPixel(pin1, 3)
while True:
    if button_a.was_pressed():
        display.show(Image.HEART)
    if button_b.is_pressed():
        print("B held")
    if pin0.is_touched():
        print("pin0")
    if pin_logo.is_touched():
        print("logo")
    g = accelerometer.was_gesture("shake")
    if g:
        print("shaken")
    msg = radio.receive()
    if msg:
        print("got", msg)
        radio.send("echo " + msg)
    if uart.any():
        line = uart.read()
        print("typed", line)
    data = input() if False else None
    sleep(20)
    if running_time() > 3000:
        break
print(temperature(), display.read_light_level(), microphone.sound_level(),
      compass.heading(), pin2.read_analog(), accelerometer.get_x() > 500)
music.play(["C4:4", "E4:4"])
speech.say("hi")
audio.play(Sound.HAPPY)
pin8.write_digital(1)
pin16.write_analog(511)
np[0] = (255, 0, 0)
np.show()
with open("out.txt", "w") as f:
    f.write("done")
print(1 / 0)
"""


def test_every_action_and_observation() -> None:
    with start(SENSORS, board="v2") as board:
        assert board.time_ms == 0
        board.run(100)
        board.click("A")
        board.run(100)
        board.assert_shows(Image.HEART)
        assert board.time_ms == 300  # exactly: the test holds the board's clock
        board.press("B").run(50).release("B")
        board.tap(0)
        board.tap("logo")
        board.gesture("shake")
        board.send_radio("ping")
        board.type("hi")
        board.run(200)
        said = list(dict.fromkeys(board.serial_lines()))  # each once, in order
        assert said[:6] == ["B held", "pin0", "logo", "shaken", "got ping", "typed b'hi'"]
        assert board.radio_messages() == ["echo ping"]
        assert board.radio_sent()[0].channel == 7
        board.set_temperature(30).set_light(200).set_sound_level(90).set_heading(90)
        board.set_analog(2, 700).tilt(x=800)
        board.run()
        assert "30 200 90 90 700 True" in board.serial()
        assert [note.name for note in board.notes()] == ["C4", "E4"]
        assert 480 <= (board.notes()[0].duration or 0) <= 500  # a crotchet at 120 bpm
        channels = [channel for _, channel in board.sounds()]
        assert "speech" in channels and "sound" in channels and board.spoke()
        assert board.pin(8) == {"mode": "write_digital", "value": 1, "touched": False}
        assert board.pin_writes(16)[-1][1:] == ("write_analog", 511)
        assert board.neopixels(1) == [(255, 0, 0), (0, 0, 0), (0, 0, 0)]
        assert board.files() == {"out.txt": b"done"}
        assert board.status == "error"
        error = board.error
        assert error is not None and error.kind == "ZeroDivisionError"
        assert error.line == 39
        assert "ZeroDivisionError" in str(error) and "line 39" in str(error)


def test_same_steps_same_run() -> None:
    program = ("from microbit import *\nimport random\nwhile True:\n"
               "    if button_a.was_pressed():\n        print(running_time(), "
               "random.randint(0, 1000))\n    sleep(7)\n")
    runs = []
    for _ in range(2):
        with start(program, time_limit_ms=2000) as board:
            for _ in range(5):
                board.run(123).click("A")
            board.run()
            runs.append(board.serial())
    assert runs[0] == runs[1] and runs[0].count("\n") == 5


def test_time_limit_ends_a_loop_and_a_hang() -> None:
    with start("while True:\n    pass\n", time_limit_ms=300) as board:
        board.run()
        assert board.status in ("timeout", "stopped")


def test_from_file_folder_and_hex(tmp_path: Path) -> None:
    import subprocess
    import sys

    source = "from microbit import *\nimport helper\ndisplay.scroll(helper.N)\n"
    folder = tmp_path / "proj"
    folder.mkdir()
    (folder / "main.py").write_text(source)
    (folder / "helper.py").write_text("N = 21\n")
    with start(path=folder, board="v1") as board:
        assert board.run().scrolled_text() == "21"
    hex_path = tmp_path / "prog.hex"
    subprocess.run([sys.executable, "-m", "ubit", "hex", "build", str(folder / "main.py"),
                    str(folder / "helper.py"), "-o", str(hex_path)], check=True)
    for version in ("v1", "v2"):
        with start(path=hex_path, board=version) as board:
            assert board.run().scrolled_text() == "21"
    single = tmp_path / "one.py"
    single.write_text("print('hello')\n")
    with start(path=single) as board:
        board.run()
        board.assert_printed("hello")


def test_a_beginner_reads_what_went_wrong() -> None:
    wrong = "from microbit import *\nwhile True:\n    if button_a.was_pressed():\n" \
            "        display.show(Image.SAD)\n    sleep(20)\n"
    with start(wrong) as board:
        board.press("A").run(100)
        with pytest.raises(AssertionError) as caught:
            board.assert_shows(Image.HEART)
    assert str(caught.value) == (
        "After pressing button A, the display should show Image.HEART; it showed:\n\n"
        "expected    shown\n"
        ".#.#.       .....\n"
        "#####       .#.#.\n"
        "#####       .....\n"
        ".###.       .###.\n"
        "..#..       #...#")


def test_messages_for_text_print_and_crash() -> None:
    with start("from microbit import *\ndisplay.scroll(12)\nx = [1][3]\n") as board:
        board.run()
        with pytest.raises(AssertionError) as caught:
            board.assert_scrolled("21")
        text = str(caught.value)
        assert "should show the text '21'; it showed '12'." in text
        assert "Your program stopped with an error: IndexError on line 3" in text
        with pytest.raises(AssertionError, match="it printed:"):
            board.assert_printed("hello")
        with pytest.raises(AssertionError, match="IndexError on line 3"):
            board.assert_no_error()


def test_bad_inputs_are_refused_clearly() -> None:
    with start("from microbit import *\nsleep(100)\n", board="v1") as board:
        with pytest.raises(ValueError, match="no button 'C'"):
            board.press("C")
        with pytest.raises(ValueError, match="has no input 'pin_logo'"):
            board.touch("logo")  # V1 has no touch logo
