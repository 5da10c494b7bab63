"""The V2 data log: CSV lines, columns, timestamps, mirroring, capacity and errors.

Behaviour from reference §23 and CODAL's MicroBitLog (the log's rules on V2).
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.sim.runner import Result, run_program
from ubit.sim.board.parts.log import (
    CAPACITY,
    DAYS,
    HOURS,
    MILLISECONDS,
    MINUTES,
    NONE,
    SECONDS,
    DataLog,
    timestamp,
)
from ubit.sim.host.logcsv import LogRecorder


def csv_of(result: Result) -> str:
    """The log's CSV as a host rebuilds it from the published ``log`` values."""
    recorder = LogRecorder()
    for _, part, value in result.states:
        if part == "log":
            recorder.apply(value)
    return recorder.csv()


class ManualLog:
    """A DataLog on a clock the test sets, with its serial output and published values."""

    def __init__(self, capacity: int = CAPACITY) -> None:
        self.now = 0
        self.serial = bytearray()
        self.published: list[Any] = []
        self.log = DataLog(lambda: self.now, self.serial.extend,
                           lambda part, value: self.published.append(value), capacity)


def test_labels_rows_and_timestamps_end_to_end():
    result = run_program("import log\nfrom microbit import sleep\n"
                         "log.set_labels('temp', 'light')\nsleep(1234)\n"
                         "log.add(temp=21, light=0.5)\nsleep(1000)\n"
                         "log.add({'temp': 22.25})\n")
    assert result.status == "ok"
    assert csv_of(result) == "Time (seconds),temp,light\n1.23,21,0.5\n2.23,22.25,\n"


def test_timestamp_units_round_down():
    assert timestamp(1999, SECONDS) == "1.99"
    assert timestamp(1234, MILLISECONDS) == "1234"
    assert timestamp(90_000, MINUTES) == "1.50"
    assert timestamp(5_400_000, HOURS) == "1.50"
    assert timestamp(86_400_000 * 3 + 864_000 - 1, DAYS) == "3.00"
    assert timestamp(0, SECONDS) == "0.00"


@pytest.mark.parametrize(("unit", "heading", "value"), [
    ("log.MILLISECONDS", "Time (milliseconds)", "2500"),
    ("log.SECONDS", "Time (seconds)", "2.50"),
    ("log.MINUTES", "Time (minutes)", "0.04"),
    ("log.HOURS", "Time (hours)", "0.00"),
    ("log.DAYS", "Time (days)", "0.00"),
])
def test_each_timestamp_unit(unit, heading, value):
    result = run_program(f"import log\nfrom microbit import sleep\nlog.set_labels('x', "
                         f"timestamp={unit})\nsleep(2500)\nlog.add(x=1)\n")
    assert csv_of(result) == f"{heading},x\n{value},1\n"


def test_no_timestamp_and_the_constants():
    result = run_program("import log\nprint(log.MILLISECONDS, log.SECONDS, log.MINUTES, "
                         "log.HOURS, log.DAYS)\nlog.set_labels('a', timestamp=None)\n"
                         "log.add(a=1)\nlog.add(b='x')\n")
    assert result.text == "1 10 600 36000 864000\n"
    assert csv_of(result) == "a\n1\na,b\n,x\n"  # a new column rewrites the heading line


def test_columns_and_timestamp_placement():
    m = ManualLog()
    m.log.set_timestamp(SECONDS)  # as importing the module does
    m.now = 500
    assert m.log.add_row([("a", "1")])
    m.log.set_timestamp(MILLISECONDS)  # after data: the new timestamp column goes last
    m.now = 1500
    assert m.log.add_row([("b", "2")])
    assert m.log.lines == ["Time (seconds),a", "0.50,1", "Time (seconds),a,b,Time (milliseconds)",
                           ",,2,1500"]


def test_timestamp_changes_before_any_data_replace_the_column():
    m = ManualLog()
    m.log.set_timestamp(SECONDS)
    m.log.set_timestamp(MILLISECONDS)
    m.log.add_row([("a", "")])
    m.log.set_timestamp(NONE)
    assert m.log.lines == ["Time (milliseconds),a"]


def test_empty_rows_are_not_written_and_separators_are_cleaned():
    m = ManualLog()
    m.log.add_row([("x,y", ""), ("tab\there", "")])
    assert m.log.add_row([("x,y", "1,5"), ("arrow", "a-->b\nc")])
    assert m.log.lines == ["x_y,tab_here", "x_y,tab_here,arrow", "1_5,,a___b_c"]


def test_mirroring_prints_lines_on_serial():
    result = run_program("import log\nlog.set_mirroring(True)\nlog.set_labels('v')\n"
                         "log.add(v=3)\nlog.set_mirroring(False)\nlog.add(v=4)\nprint('end')\n")
    assert result.output == "Time (seconds),v\r\n0.00,3\r\nend\r\n"


def test_values_as_the_firmware_converts_them():
    result = run_program("import log\nlog.set_labels('f', 'i', 's', timestamp=None)\n"
                         "log.add(f=1/3, i=10**12, s='hi')\nlog.add(f=2.0)\n")
    assert csv_of(result) == "f,i,s\n0.3333333,1000000000000,hi\n2.0,,\n"


def test_argument_errors():
    program = ("import log\nfor call in (lambda: log.add(1), lambda: log.add({}, {}),\n"
               "             lambda: log.add(a=[1]), lambda: log.add(a=True),\n"
               "             lambda: log.set_labels(1), lambda: log.set_labels('a', x=1),\n"
               "             lambda: log.set_labels(timestamp='s'), lambda: log.delete(1, 2)):\n"
               "    try:\n        call()\n    except Exception as e:\n"
               "        print(type(e).__name__, e)\n")
    assert run_program(program).text.splitlines() == [
        "ValueError expecting a dict", "ValueError too many arguments",
        "TypeError can't convert 'list' object to str implicitly",
        "TypeError can't convert 'bool' object to str implicitly",
        "TypeError can't convert 'int' object to str implicitly",
        "TypeError extra keyword arguments given", "TypeError can't convert str to int",
        "TypeError extra positional arguments given"]


def test_a_full_log_raises_enospc_until_deleted():
    program = ("import log\nlog.set_labels('v')\nn = 0\ntry:\n    while True:\n"
               "        log.add(v='x' * 1000)\n        n += 1\nexcept OSError as e:\n"
               "    print(n, e)\ntry:\n    log.add(v='short')\nexcept OSError as e:\n"
               "    print('still', e)\nlog.delete()\nlog.add(v='again')\nlog.add(v='x' * 1000)\n")
    result = run_program(program)
    # heading "Time (seconds),v\n" is 17 bytes and each row "0.00,<1000 x>\n" 1006 of 118780
    assert (CAPACITY - 17) // 1006 == 118
    assert result.text == "118 [Errno 28] ENOSPC\nstill [Errno 28] ENOSPC\n"
    # 118 calls (20 µs each on the V2's cost model), the loop and two printed lines have
    # taken less than 5 ms by then
    assert csv_of(result) == "Time (seconds),v\n0.00,again\n0.00," + "x" * 1000 + "\n"
    assert result.status == "ok"


def test_uncaught_full_log():
    m = ManualLog(capacity=20)
    assert m.log.add_row([("a", "1")])
    assert not m.log.add_row([("a", "x" * 30)])
    assert m.published[-1] == {"lines": [], "erased": False, "full": True}  # not written
    assert m.log.lines == ["a", "1"]
    result = run_program("import log\nwhile True:\n    log.add(a='y' * 500)\n")
    assert result.text.endswith("OSError: [Errno 28] ENOSPC\n")


def test_delete_keeps_the_timestamp_unit():
    result = run_program("import log\nlog.add(a=1)\nlog.delete()\nlog.add(b=2)\n"
                         "log.delete(full=True)\nlog.add(c=3)\n")
    assert csv_of(result) == "Time (seconds),c\n0.00,3\n"
    erased = [v for _, part, v in result.states if part == "log" and v["erased"]]
    assert len(erased) == 2


def test_log_is_v2_only():
    result = run_program("import log\n", board="v1")
    assert result.text.endswith("ImportError: no module named 'log'\n")


def test_cli_saves_the_data_log_as_csv(tmp_path):
    from tests.ubitcli import run_ubit

    program = tmp_path / "logger.py"
    program.write_text("import log\nfrom microbit import *\nlog.set_labels('temp', "
                       "timestamp=log.SECONDS)\nfor i in range(3):\n"
                       "    log.add(temp=20 + i)\n    sleep(1000)\n")
    out = tmp_path / "data.csv"
    proc = run_ubit("run", program, "--headless", "--log-csv", out)
    assert proc.returncode == 0, proc.stderr
    assert out.read_text() == "Time (seconds),temp\n0.00,20\n1.00,21\n2.00,22\n"
