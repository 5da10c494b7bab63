"""Scripts of timed inputs ("2000 press A") as `ubit run --inputs` reads them."""

from __future__ import annotations

import pytest

from tests.sim.runner import run_program
from tests.ubitcli import assert_clean_error, run_ubit
from ubit.errors import UsageError
from ubit.sim.host.inputscript import parse_inputs


def test_parse_every_kind_of_line():
    script = """# a comment
    2000 press A
    2500 release a
    3000 touch logo
    3100 untouch 1
    4000 set temperature 30
    4100 set x -512
    5000 gesture face up
    """
    assert [entry[:3] for entry in parse_inputs(script)] == [
        (2000.0, "button_a", True), (2500.0, "button_a", False), (3000.0, "pin_logo", True),
        (3100.0, "pin1", False), (4000.0, "temperature", 30),
        (4100.0, "accelerometer_x", -512), (5000.0, "gesture", "face up"),
    ]


@pytest.mark.parametrize("line, words", [("soon press A", "not a time"),
                                         ("100 jump", "can't read"),
                                         ("100 set temperature hot", "not a number")])
def test_bad_lines_name_the_line(line, words):
    with pytest.raises(UsageError, match=f"taps.txt: line 2: .*{words}"):
        parse_inputs(f"0 press A\n{line}\n", "taps.txt")


@pytest.mark.parametrize("line, words", [
    ("nan press A", "'nan' is not a time"), ("inf press A", "'inf' is not a time"),
    ("-5 press A", "'-5' is not a time"), ("1e400 press A", "'1e400' is not a time"),
    ("100 gesture explode", "'explode' is not a gesture; the gestures are up, down"),
    ("100 press A now", "'now' after 'press A'"), ("100 touch 0 twice", "'twice' after"),
    ("100 set temperature 30 C", "'C' after 'set temperature 30'"),
    ("100 set temperature inf", "'inf' is not a finite number"),
    ("100 set x nan", "'nan' is not a finite number"),
    ("100 set light 1e400", "'1e400' is not a finite number")])
def test_words_and_numbers_the_parser_can_see_are_checked(line, words):
    with pytest.raises(UsageError, match=f"^taps.txt: line 2: {words}"):
        parse_inputs(f"0 press A\n{line}\n", "taps.txt")


def test_ranges_and_board_differences_are_left_to_the_board():
    # no range tables here: 99 °C, a V2-only gesture and an unknown input parse, and the
    # board refuses them with the line (tests/test_bad_input.py)
    assert [entry[1:3] for entry in parse_inputs(
        "0 set temperature 99\n0 gesture 2g\n0 set nosuchpart 3\n0ms gesture FACE DOWN\n")] \
        == [("temperature", 99), ("gesture", "2g"), ("nosuchpart", 3),
            ("gesture", "face down")]


def test_a_scripted_run_from_the_command_line(tmp_path):
    program = tmp_path / "main.py"
    program.write_text("from microbit import *\nwhile not button_a.is_pressed():\n"
                       "    sleep(10)\nprint('A at', running_time())\n"
                       "print(temperature())\n")
    script = tmp_path / "taps.txt"
    script.write_text("1500 set temperature 30\n2000 press A\n")
    proc = run_ubit("run", program, "--headless", "--inputs", script)
    # each look at the button and the loop round it take board time (the cost model), so
    # the 10 ms sleeps drift: the press is seen 6 ms late
    assert (proc.returncode, proc.stdout) == (0, "A at 2006\n30\n"), proc.stderr
    script.write_text("2000 squeeze A\n")
    assert "line 1" in assert_clean_error(run_ubit("run", program, "--headless", "--inputs",
                                                   script), "run", code=2)


def test_same_script_same_output_twice():
    program = ("from microbit import *\nfor i in range(6):\n    sleep(500)\n"
               "    print(running_time(), button_a.get_presses(), accelerometer.get_x())\n")
    inputs = [(700, "button_a", True), (800, "button_a", False), (1200, "accelerometer_x", 300)]
    first = run_program(program, inputs=inputs)
    # each printed line takes its time on the serial line (8 bytes: 0.7 ms), the calls
    # and the loop theirs (the cost model)
    assert first.text.splitlines()[:3] == ["500 0 0", "1000 1 0", "1501 0 300"]
    assert run_program(program, inputs=inputs).text == first.text
