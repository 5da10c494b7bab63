"""Record what the real V1 firmware prints for each fidelity program (QEMU).

Run from the repository root::

    .venv/bin/python -m tests.fidelity.record              # every program
    .venv/bin/python -m tests.fidelity.record 004 sets     # names containing "004" or "sets"
    .venv/bin/python -m tests.fidelity.record --check      # compare, write nothing

Each ``programs/NNN_name.py`` is built into a V1 hex as main.py (the same build
``ubit hex build --target v1`` does), booted in ``qemu-system-arm -M microbit``
and its serial output, newlines as ``\\n``, is written to ``expected/NNN_name.txt``.
"""

from __future__ import annotations

import argparse
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parent
PROGRAMS = HERE / "programs"
EXPECTED = HERE / "expected"
# QEMU is single-threaded: two at once use the machine's two cores without starving it.
DEFAULT_JOBS = 2
# An uncaught error scrolls for ~28 s of virtual time before the banner: 1-4 s of wall time.
TIMEOUT_S = 60.0


def program_paths(patterns: list[str] | None = None) -> list[Path]:
    """The corpus programs, in order; with ``patterns``, those whose name contains one."""
    paths = sorted(PROGRAMS.glob("[0-9][0-9][0-9]_*.py"))
    if patterns:
        paths = [p for p in paths if any(pattern in p.stem for pattern in patterns)]
    return paths


def expected_path(program: Path) -> Path:
    """Where the firmware's output for ``program`` is kept."""
    return EXPECTED / (program.stem + ".txt")


def firmware_output(program: Path) -> str:
    """What the real V1 firmware prints running ``program`` as main.py."""
    from ubit.device.qemu import run_hex
    from ubit.hexfile import SourceFile
    from ubit.project import build_hex

    hex_text, _ = build_hex([SourceFile("main.py", program.read_bytes())], target="v1")
    return run_hex(hex_text, timeout=TIMEOUT_S)


def record_one(program: Path, check: bool) -> tuple[Path, str]:
    """Run one program on the firmware; write (or compare) its expected output."""
    started = time.monotonic()
    try:
        output = firmware_output(program)
    except Exception as exc:  # noqa: BLE001 - one failing program must not stop the others
        return program, f"FAILED ({type(exc).__name__}: {exc})"
    target = expected_path(program)
    old = target.read_text(encoding="utf-8") if target.exists() else None
    if check:
        status = "same" if old == output else ("new" if old is None else "DIFFERENT")
    else:
        target.write_text(output, encoding="utf-8", newline="")
        status = "recorded" if old is None else ("unchanged" if old == output else "CHANGED")
    return program, f"{status} ({time.monotonic() - started:.1f} s)"


def main(argv: list[str] | None = None) -> int:
    """Record the corpus; exit status 1 if any program failed (or, with --check, differs)."""
    from ubit.device.qemu import find_qemu

    parser = argparse.ArgumentParser(prog="python -m tests.fidelity.record",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("patterns", nargs="*", help="record only programs whose name contains one")
    parser.add_argument("--check", action="store_true",
                        help="compare with the recorded outputs instead of writing them")
    parser.add_argument("--jobs", type=int, default=DEFAULT_JOBS,
                        help=f"QEMUs at once (default {DEFAULT_JOBS})")
    args = parser.parse_args(argv)
    if find_qemu() is None:
        print("qemu-system-arm not found (apt-get install qemu-system-arm)", file=sys.stderr)
        return 2
    paths = program_paths(args.patterns)
    if not paths:
        print("no programs match", file=sys.stderr)
        return 2
    EXPECTED.mkdir(exist_ok=True)
    bad = 0
    with ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        for program, status in pool.map(lambda p: record_one(p, args.check), paths):
            print(f"{program.stem:40} {status}", flush=True)
            bad += status.startswith(("FAILED", "DIFFERENT"))
    print(f"{len(paths)} programs, {bad} failed" if not args.check
          else f"{len(paths)} programs, {bad} differ or failed")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
