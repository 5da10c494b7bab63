"""The V2 probes of ``firmware-v2-observed`` on the virtual boards: outputs, misses, match rates.

``python -m tests.fidelity.v2probes`` prints the match rates (V2 x/y, V1 x/y) and the probes
that differ; ``--diff NNN`` shows a probe's differences.
"""

from __future__ import annotations

import difflib
import os
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from tests.sim.runner import run_program

# ../shared/reference/firmware-v2-observed beside the repository (its README: how recorded)
PROBES = Path(__file__).resolve().parents[3] / "shared" / "reference" / "firmware-v2-observed"
HERE = Path(__file__).resolve().parent
KNOWN = HERE / "v2probes_known.txt"
# Far more virtual time than any probe needs (they print and end); a hang ends as "timeout".
TIME_LIMIT_MS = 60_000
# Probes whose recorded output is an artefact of how the V2 firmware was recorded (its README):
# the WebAssembly build, not the device. They aren't compared on that board.
ARTEFACTS: dict[tuple[str, str], str] = {
    ("126_micropython_module", "v2"): "dir(micropython) lists pystack_use, a WebAssembly-build "
                                      "option the device lacks",
}


def probe_names() -> list[str]:
    """Every probe's name (``NNN_topic``), in order."""
    return sorted(p.stem for p in PROBES.glob("[0-9][0-9][0-9]_*.py"))


def recorded(name: str, board: str) -> str | None:
    """What the ``board`` firmware printed for probe ``name`` (LF newlines), None if unrecorded."""
    path = PROBES / f"{name}.{board}.txt"
    return path.read_text(encoding="utf-8") if path.exists() else None


def cases() -> list[tuple[str, str]]:
    """Every (probe, board) with a recording that isn't an artefact."""
    return [(name, board) for name in probe_names() for board in ("v2", "v1")
            if recorded(name, board) is not None and (name, board) not in ARTEFACTS]


def simulated(case: tuple[str, str]) -> str:
    """What the virtual ``board`` prints for the probe (CRLF as plain newlines)."""
    name, board = case
    source = (PROBES / f"{name}.py").read_text(encoding="utf-8")
    try:
        return run_program(source, board=board, time_limit_ms=TIME_LIMIT_MS).text
    except Exception as exc:  # reported as a difference, not a crash of the whole run
        return f"<run failed: {exc!r}>"


def run_all(selection: list[tuple[str, str]] | None = None) -> dict[tuple[str, str], str]:
    """Every case's virtual-board output, a few boards at a time."""
    selection = cases() if selection is None else selection
    with ThreadPoolExecutor(max_workers=(os.cpu_count() or 1) + 1) as pool:
        return dict(zip(selection, pool.map(simulated, selection), strict=True))


def known_misses() -> dict[tuple[str, str], str]:
    """(probe, board) → why it doesn't match yet, from ``NNN_topic board  reason`` lines."""
    known = {}
    for line in KNOWN.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            name, board, reason = line.split(None, 2)
            known[(name, board)] = reason
    return known


def misses(outputs: dict[tuple[str, str], str]) -> list[tuple[str, str]]:
    """The cases whose virtual output differs from the recording."""
    return sorted(case for case, text in outputs.items() if text != recorded(*case))


def rates(outputs: dict[tuple[str, str], str]) -> dict[str, tuple[int, int]]:
    """Board → (programs matching, programs compared)."""
    differ = set(misses(outputs))
    result = {}
    for board in ("v2", "v1"):
        mine = [case for case in outputs if case[1] == board]
        result[board] = (sum(case not in differ for case in mine), len(mine))
    return result


def main(argv: list[str]) -> int:
    """Print the match rates and the differing probes (``--diff WORD``: their diffs too)."""
    words = argv[argv.index("--diff") + 1:] if "--diff" in argv else []
    selection = [c for c in cases() if not words or any(w in c[0] for w in words)]
    outputs = run_all(selection)
    for case in misses(outputs):
        print("differs:", *case)
        if words:
            expected = recorded(*case) or ""
            sys.stdout.writelines(difflib.unified_diff(
                expected.splitlines(True), outputs[case].splitlines(True), "firmware", "ubit"))
    for board, (good, total) in rates(outputs).items():
        print(f"{board.upper()} {good}/{total} ({100 * good / max(total, 1):.1f}%)")
    skipped = ", ".join(f"{n} on {b.upper()}" for n, b in ARTEFACTS)
    print(f"not compared (recording artefacts): {skipped}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
