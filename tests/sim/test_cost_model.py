"""Board time follows the work a program does (issue 18): counted loops against the V1 firmware.

The firmware figures were measured with the official V1 hex under QEMU
(``ubit.device.qemu.run_hex``, ``-icount shift=6``: the nRF51's 16 MHz in virtual time).
"""

from __future__ import annotations

import time

import pytest

from tests.sim.runner import run_program
from ubit.sim.board import cost
from ubit.sim.board.clock import Clock

TOLERANCE = 0.25

ISSUE_LOOP = """from microbit import *
n = 0
while running_time() < 2000:
    n += 1
print(n)
"""
FUNCTION_LOOP = """from microbit import *
def f():
    n = 0
    while running_time() < 2000:
        n += 1
    return n
print(f())
"""
TIMED = """from microbit import *
def h(x):
    return x + 1
def loop(N):
    t = running_time()
    for i in range(N):
        pass
    return running_time() - t
def calls(N):
    t = running_time()
    for i in range(N):
        h(i)
    return running_time() - t
def arith(N):
    t = running_time()
    x = 0
    for i in range(N):
        x = (x * 3 + i) % 1000
    return running_time() - t
print(loop(10000), calls(5000), arith(5000))
"""
# What the V1 firmware printed for these programs under QEMU.
FIRMWARE_ISSUE_LOOP = 10116
FIRMWARE_FUNCTION_LOOP = 22022
FIRMWARE_TIMED = (238, 536, 341)  # ms: 10000 empty steps, 5000 calls, 5000 sums


def _close(ours: float, firmware: float) -> bool:
    return abs(ours - firmware) <= TOLERANCE * firmware


def _printed(source: str, board: str = "v1") -> list[int]:
    result = run_program(source, board=board)
    assert result.status == "ok", result.output
    return [int(word) for word in result.output.split()]


def test_the_issues_counting_loop_counts_as_the_v1_firmware() -> None:
    [count] = _printed(ISSUE_LOOP)
    assert _close(count, FIRMWARE_ISSUE_LOOP), count


def test_a_counting_loop_in_a_function_counts_as_the_v1_firmware() -> None:
    [count] = _printed(FUNCTION_LOOP)
    assert _close(count, FIRMWARE_FUNCTION_LOOP), count


def test_loops_timed_with_running_time_take_the_v1_firmwares_time() -> None:
    timed = _printed(TIMED)
    assert all(_close(ours, fw) for ours, fw in zip(timed, FIRMWARE_TIMED, strict=True)), timed


def test_the_same_program_takes_the_same_board_time_twice() -> None:
    program = TIMED + ISSUE_LOOP.replace("from microbit import *\n", "")
    assert run_program(program, board="v1").output == run_program(program, board="v1").output


def test_the_v2_runs_the_same_loop_at_its_own_faster_rate() -> None:
    [v1] = _printed(FUNCTION_LOOP, "v1")
    [v2] = _printed(FUNCTION_LOOP, "v2")
    assert 4.5 < v2 / v1 < 7  # 64 MHz Cortex-M4 against 16 MHz Cortex-M0: about 5.6


def test_a_comprehension_takes_time_for_each_item() -> None:
    source = """from microbit import *
t = running_time()
squares = [i * i for i in range(2000)]
print(running_time() - t)
"""
    [ms] = _printed(source)
    assert 40 <= ms <= 200  # the firmware: about 50 ms per 1000 items


@pytest.mark.parametrize("virtual", [True, False])
def test_the_clock_charges_the_programs_work(virtual: bool) -> None:
    clock = Clock(virtual=virtual)
    clock.meter[cost.POLL] = 20_000
    start_wall = time.monotonic()
    start = clock.now_us()
    clock.meter[cost.SPENT] += 60_000_000  # 60 ms of the board's work, then a call
    clock.poll()
    took_us = clock.now_us() - start
    if virtual:
        assert took_us == 60_020  # the work and the call, exactly
    else:  # never faster than the board: the program waited for the wall clock
        assert time.monotonic() - start_wall >= 0.055


def test_the_switch_reaches_a_board_started_by_ubit_run(tmp_path) -> None:
    """``UBIT_COST_MODEL=0`` (for measuring what the model costs) reaches the board process,
    whose environment is otherwise empty."""
    from tests.ubitcli import run_ubit

    program = tmp_path / "loop.py"
    program.write_text(ISSUE_LOOP)
    counts = {}
    for switch in ("1", "0"):
        proc = run_ubit("run", "--headless", "--board", "v1", program,
                        env={"UBIT_COST_MODEL": switch})
        assert proc.returncode == 0, proc.stderr
        counts[switch] = int(proc.stdout.split()[-1])
    assert _close(counts["1"], FIRMWARE_ISSUE_LOOP), counts
    assert counts["0"] > 2 * counts["1"], counts  # 50 µs a call, as before the model


def test_a_busy_loop_interrupted_in_real_time_leaves_no_wait_behind() -> None:
    """A loop that never calls the board runs up work the clock can't pace while it runs;
    after Ctrl-C the raw REPL (``ubit exec``) must answer at once, not wait for that work
    to be paid off."""
    from ubit.device.rawrepl import RawRepl
    from ubit.device.transport import BoardTransport
    from ubit.sim.host.start import BoardOptions, start_board

    board = start_board(BoardOptions(board="v1", clock="real", repl=True, files={
        "main.py": b"print('busy')\nwhile True:\n    pass\n"}))
    try:
        time.sleep(1.0)
        repl = RawRepl(BoardTransport(board, owns_board=False))
        repl.enter()
        start = time.monotonic()
        assert repl.exec("print('got in')", timeout=5) == b"got in\r\n"
        assert time.monotonic() - start < 1
    finally:
        board.close()
