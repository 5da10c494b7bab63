"""``ubit plot`` and the rules it reads a board's numbers by (``ubit.device.series``)."""

from __future__ import annotations

import csv
import io
import json
import os
import pty
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.ubitcli import ROOT, assert_clean_error, run_ubit
from ubit.cli.plot import render
from ubit.device.series import MAX_SERIES, Lines, Recording, number, parse_line

CASES = json.loads((Path(__file__).parent / "plot_series_cases.json").read_text("utf-8"))

PRINTS = """\
import math
print('hello, not data')
for i in range(60):
    print((i, -i / 8, i * 1e-7, math.sin(i) * 100))
    if i % 7 == 0:
        print('light:', i * 3, 'temp:', -i)
print(float('nan'), 'is not a line of data alone')
print((float('nan'), float('inf'), -1))
print('done')
"""


@pytest.mark.parametrize("case", CASES["cases"], ids=lambda case: repr(case["line"][:40]))
def test_a_line_is_data_by_the_shared_rules(case: dict) -> None:
    got = parse_line(case["line"])
    assert (None if got is None else [list(pair) for pair in got]) == case["values"]


@pytest.mark.parametrize("split", CASES["splits"])
def test_lines_split_across_reads_are_joined(split: dict) -> None:
    reader = Lines()
    lines = [line for chunk in split["chunks"] for line in reader.feed(chunk.encode())]
    assert lines == split["lines"]


def test_a_character_split_across_reads_survives() -> None:
    reader = Lines()
    data = "température: 19.5\n".encode()
    assert reader.feed(data[:3]) == [] and reader.feed(data[3:]) == ["température: 19.5"]
    assert parse_line(reader.feed(b"\xff(1,)\n")[0]) is None  # bad bytes: not data


def test_numbers_keep_their_value_and_nan_and_inf_are_numbers() -> None:
    assert number("1e-05") == 1e-05 and number("-.5") == -0.5 and number("+3") == 3
    assert number("inf") == float("inf") and number("-inf") == float("-inf")
    assert number("nan") != number("nan")


def test_a_recording_is_bounded_and_its_csv_keeps_the_printed_text() -> None:
    recording = Recording(max_rows=5)
    for i in range(8):
        recording.add(100 + i / 2, [("y1", f"{i}.50"), ("y2", f"-{i}e3")])
    assert len(recording.rows) == 5 and recording.dropped == 3
    lines = recording.csv().splitlines()
    assert lines[0] == "time,y1,y2"
    assert lines[1] == "1.500,3.50,-3e3"  # times since the first line ever seen
    assert lines[-1] == "3.500,7.50,-7e3"
    many = Recording()
    many.add(0, [(f"s{i}", "1") for i in range(MAX_SERIES + 2)])
    assert len(many.columns) == MAX_SERIES and many.ignored == {"s16", "s17"}
    assert many.add(1, [("s17", "2")]) is None  # only left-out series: no row
    quoted = Recording()
    quoted.add(0, [('say"', "1")])
    assert quoted.header() == 'time,"say""",'.rstrip(",")


def test_the_text_chart_draws_each_series_with_its_range_and_legend() -> None:
    points = [(t / 10, {"y1": float(t), "y2": float(-t)}) for t in range(50)]
    points.append((5.0, {"y1": float("nan"), "y2": 0.0}))
    lines = render(points, ["y1", "y2"], now=5.0, window=10, width=40, height=6,
                   latest={"y1": "49", "y2": "-49"}, colour=True)
    chart = "\n".join(lines)
    assert lines[0].lstrip().startswith("49 ┤") and lines[5].lstrip().startswith("-49 ┤")
    assert sum(0x2800 < ord(c) <= 0x28FF for c in chart) > 30  # braille dots drawn
    assert "\x1b[33m" in chart and "\x1b[36m" in chart  # a colour per series
    assert "y1 49" in lines[-1] and "y2 -49" in lines[-1]
    plain = render(points, ["y1", "y2"], now=5.0, window=10, width=40, height=6)
    assert "\x1b" not in "".join(plain)
    assert render([], ["y1"], now=1, window=10, width=40, height=6)[0].startswith("waiting")
    # a series on every fifth line only is still one line across the chart; nan breaks it
    sparse = [(t / 10, {"temp": float(t % 7)} if t % 5 == 0 else {"y1": 0.0})
              for t in range(100)]

    def columns_drawn() -> int:
        rows = [row.split("┤" if "┤" in row else "│", 1)[1] for row in
                render(sparse, ["temp"], now=10, window=10, width=40, height=6)[:6]]
        return sum(any(row[column] != " " for row in rows) for column in range(40))

    assert columns_drawn() == 38  # 0 s to 9.5 s, the last line with temp on it
    sparse[50] = (5.0, {"temp": float("nan")})
    assert columns_drawn() < 38  # no line across 4.5 s to 5.5 s


def printed_data(program: Path) -> list[list[tuple[str, str]]]:
    """The lines of data the program prints, read from ``ubit run --headless``'s output."""
    proc = run_ubit("run", program, "--headless")
    assert proc.returncode == 0, proc.stderr
    found = [parse_line(line) for line in proc.stdout.splitlines()]
    return [values for values in found if values]


def rows_as_values(text: str) -> list[list[tuple[str, str]]]:
    """The CSV rows' values as (series, text), the empty cells left out."""
    rows = list(csv.reader(io.StringIO(text)))
    header, out = rows[0], []
    for row in rows[1:]:
        if row[0] == "time":  # a series joined: the header again
            header = row
            continue
        out.append([(name, cell) for name, cell in zip(header[1:], row[1:], strict=True)
                    if cell])
    return out


def test_plot_of_a_program_not_on_a_terminal_prints_csv_rows_and_saves_the_csv(
        tmp_path: Path) -> None:
    program = tmp_path / "prints.py"
    program.write_text(PRINTS)
    expected = printed_data(program)
    assert len(expected) == 60 + 9 + 1
    saved = tmp_path / "out" / "data.csv"
    saved.parent.mkdir()
    proc = run_ubit("plot", program, "--time", "30", "--csv", saved)
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    assert rows_as_values(proc.stdout) == expected  # a row a line, numbers as printed
    text = saved.read_text()
    assert rows_as_values(text) == expected
    header = text.splitlines()[0]
    assert header == "time,y1,y2,y3,y4,light,temp"
    assert text.endswith(",nan,inf,-1,,,\n")
    assert f"70 lines of numbers saved in {saved}" in proc.stderr
    assert [p.name for p in saved.parent.iterdir()] == ["data.csv"]  # no temporary left


def test_time_stops_a_program_that_runs_for_ever(tmp_path: Path) -> None:
    program = tmp_path / "forever.py"
    program.write_text("from microbit import *\ni = 0\nwhile True:\n"
                       "    print('x:', i, 'y:', i * 2)\n    i += 1\n    sleep(20)\n")
    began = time.monotonic()
    proc = run_ubit("plot", "--sim", program, "--time", "1.5")
    took = time.monotonic() - began
    assert proc.returncode == 0, proc.stderr
    assert took < 15
    rows = list(csv.reader(io.StringIO(proc.stdout)))
    assert rows[0] == ["time", "x", "y"] and len(rows) > 10
    assert all(int(y) == 2 * int(x) for _, x, y in rows[1:])
    assert float(rows[-1][0]) <= 1.5


def test_plot_reads_a_serial_port(tmp_path: Path) -> None:
    program = tmp_path / "main.py"
    program.write_text("from microbit import *\ni = 0\nwhile True:\n"
                       "    print((i, i % 7))\n    i += 1\n    sleep(30)\n")
    sim = subprocess.Popen([sys.executable, "-m", "ubit", "sim", str(program)], cwd=tmp_path,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = sim.stdout.readline()
        assert " on /dev/" in line, line
        port = line.split(" on ", 1)[1].strip()
        proc = run_ubit("plot", "--port", port, "--time", "1.5", "--csv", tmp_path / "p.csv")
    finally:
        sim.terminate()
        sim.wait(timeout=10)
    assert proc.returncode == 0, proc.stderr
    values = rows_as_values(proc.stdout)
    assert len(values) > 10
    assert all(int(dict(v)["y2"]) == int(dict(v)["y1"]) % 7 for v in values)
    assert rows_as_values((tmp_path / "p.csv").read_text()) == values


def test_on_a_terminal_it_draws_a_chart_and_ctrl_c_stops_it_cleanly(tmp_path: Path) -> None:
    program = tmp_path / "wave.py"
    program.write_text("import math\nfrom microbit import *\ni = 0\nwhile True:\n"
                       "    print((math.sin(i / 5) * 10,))\n    i += 1\n    sleep(10)\n")
    saved = tmp_path / "wave.csv"
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "UBIT_DEBUG")}
    env.update(COLUMNS="90", LINES="30")
    pid, fd = pty.fork()
    if pid == 0:  # the child: ubit plot on the pseudo-terminal
        os.chdir(ROOT)
        os.execve(sys.executable, [sys.executable, "-m", "ubit", "plot", str(program), "--csv",
                                   str(saved)], env)
    output = b""

    def read_for(seconds: float) -> None:
        nonlocal output
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            ready, _, _ = select.select([fd], [], [], 0.1)
            if ready:
                try:
                    output += os.read(fd, 65536)
                except OSError:
                    return

    try:
        deadline = time.monotonic() + 20
        while b"y1" not in output and time.monotonic() < deadline:
            read_for(0.5)
        read_for(1)  # a few redraws
        os.write(fd, b"\x03")  # Ctrl-C, as the terminal sends it
        read_for(3)
    finally:
        if not _exited(pid, 20):
            os.kill(pid, signal.SIGKILL)
        _, status = os.waitpid(pid, 0)
        os.close(fd)
    text = output.decode("utf-8", "replace")
    assert os.waitstatus_to_exitcode(status) == 0, text[-2000:]
    assert "Traceback" not in text
    assert any(0x2800 < ord(c) <= 0x28FF for c in text)  # the braille chart
    assert "\x1b[33m" in text  # in the first series' colour
    assert "y1" in text and "┤" in text
    assert text.rstrip().endswith("\x1b[?25h") or "\x1b[?25h" in text[-400:]  # cursor back
    rows = saved.read_text().splitlines()
    assert rows[0] == "time,y1" and len(rows) > 20


def _exited(pid: int, seconds: float) -> bool:
    """Whether the process ``pid`` ends within ``seconds`` (not reaped)."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if os.waitid(os.P_PID, pid, os.WEXITED | os.WNOHANG | os.WNOWAIT) is not None:
            return True
        time.sleep(0.05)
    return False


def test_mistakes_get_one_clear_line(tmp_path: Path) -> None:
    program = tmp_path / "p.py"
    program.write_text("print((1, 2))\n")
    assert "give one" in assert_clean_error(
        run_ubit("plot", program, "--port", "/dev/null"), "plot", 2)
    assert "--sim needs a PROGRAM" in assert_clean_error(run_ubit("plot", "--sim"), "plot", 2)
    assert "positive number" in assert_clean_error(
        run_ubit("plot", program, "--time", "0"), "plot", 2)
    assert "no such port" in assert_clean_error(
        run_ubit("plot", "--port", tmp_path / "nothing"), "plot", 1)
    broken = tmp_path / "broken.py"
    broken.write_text("print((1, 2))\nprint(y)\n")
    proc = run_ubit("plot", broken, "--csv", tmp_path / "b.csv")
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    said = proc.stderr.splitlines()
    assert said[0].startswith("plot: 1 lines of numbers saved in")
    assert len(said) == 2 and said[1].startswith("ubit: plot: the program stopped with an error")
    assert "NameError" in said[1]
    assert (tmp_path / "b.csv").read_text().splitlines()[1].endswith(",1,2")
