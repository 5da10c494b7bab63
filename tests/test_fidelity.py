"""The virtual V1 prints exactly what the real V1 firmware printed, program by program.

``tests/fidelity/programs/NNN_name.py`` run on the virtual micro:bit V1 must print,
byte for byte, what ``tests/fidelity/expected/NNN_name.txt`` recorded from the real
firmware under QEMU (``python -m tests.fidelity.record``). Programs listed in
``tests/fidelity/known_differences.txt`` don't match yet; the list is kept honest:
each of them must still differ, and every other program must match.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.fidelity.record import EXPECTED, firmware_output, program_paths
from tests.sim.runner import run_program
from tests.ubitcli import run_ubit
from ubit.device.qemu import find_qemu

HERE = Path(__file__).resolve().parent / "fidelity"
KNOWN = HERE / "known_differences.txt"
PROGRAMS = program_paths()
# Run through the real command line too (slower: a Python start-up each), as a user would.
CLI_PROGRAMS = ("004_float_print", "032_uncaught_in_function", "046_syntax_fstring",
                "057_repr_exceptions")
# Far more virtual time than any program needs; a hang ends as "timeout", not a stuck test.
TIME_LIMIT_MS = 120_000


def known_differences() -> dict[str, str]:
    """Program name → why it doesn't match yet (``name  reason`` lines, ``#`` comments)."""
    known = {}
    for line in KNOWN.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            name, _, reason = line.partition(" ")
            known[name] = reason.strip()
    return known


def expected_output(name: str) -> str:
    """What the real firmware printed for program ``name``."""
    return (EXPECTED / f"{name}.txt").read_text(encoding="utf-8")


def simulated_output(program: Path) -> str:
    """What the virtual V1 prints for ``program`` (CRLF as plain newlines)."""
    result = run_program(program.read_text(encoding="utf-8"), board="v1",
                         time_limit_ms=TIME_LIMIT_MS)
    return result.text


@pytest.fixture(scope="module")
def outputs() -> dict[str, str]:
    """Every program's virtual-board output, two boards at a time."""
    with ThreadPoolExecutor(max_workers=2) as pool:
        texts = pool.map(simulated_output, PROGRAMS)
        return {program.stem: text for program, text in zip(PROGRAMS, texts, strict=True)}


def test_corpus_is_complete() -> None:
    assert len(PROGRAMS) >= 60
    missing = [p.stem for p in PROGRAMS if not (EXPECTED / f"{p.stem}.txt").exists()]
    assert not missing, f"record them: python -m tests.fidelity.record {' '.join(missing)}"
    names = {p.stem for p in PROGRAMS}
    unknown = sorted(set(known_differences()) - names)
    assert not unknown, f"known_differences.txt names programs that don't exist: {unknown}"
    assert all(known_differences().values()), "every known difference needs a reason"


@pytest.mark.parametrize("program", PROGRAMS, ids=lambda p: p.stem)
def test_program_output(program: Path, outputs: dict[str, str]) -> None:
    name = program.stem
    expected, actual = expected_output(name), outputs[name]
    reason = known_differences().get(name)
    if reason is None:
        assert actual == expected
    else:
        assert actual != expected, (f"{name} now matches the firmware: remove it from "
                                    f"known_differences.txt (was: {reason})")


def test_match_rate(outputs: dict[str, str], request: pytest.FixtureRequest) -> None:
    matching = sum(outputs[p.stem] == expected_output(p.stem) for p in PROGRAMS)
    rate = f"fidelity: {matching}/{len(PROGRAMS)} programs match the V1 firmware " \
           f"({100 * matching / len(PROGRAMS):.1f}%)"
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    capture = request.config.pluginmanager.get_plugin("capturemanager")
    if reporter is not None and capture is not None:
        with capture.global_and_fixture_disabled():  # shown even when output is captured
            reporter.write_line("\n" + rate)
    assert matching == len(PROGRAMS) - len(known_differences())


@pytest.mark.parametrize("name", CLI_PROGRAMS)
def test_cli_run_headless(name: str, outputs: dict[str, str]) -> None:
    """``ubit run --headless --board v1`` prints what the board printed, and the firmware did."""
    program = next(p for p in PROGRAMS if p.stem == name)
    proc = run_ubit("run", program, "--headless", "--board", "v1", "--time", "120")
    assert proc.stdout == outputs[name]
    assert proc.returncode == (1 if "Traceback" in proc.stdout else 0)
    if name not in known_differences():
        assert proc.stdout == expected_output(name)


@pytest.mark.qemu
@pytest.mark.skipif(find_qemu() is None, reason="qemu-system-arm is not installed "
                    "(apt-get install qemu-system-arm)")
@pytest.mark.parametrize("name", ("001_int_arithmetic", "034_name_error"))
def test_recordings_are_the_firmware_s(name: str) -> None:
    """The recorder still gets exactly the committed output from the real firmware."""
    program = next(p for p in PROGRAMS if p.stem == name)
    assert firmware_output(program) == expected_output(name)
