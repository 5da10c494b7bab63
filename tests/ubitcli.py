"""Running the ``ubit`` command as a user would: a separate process, its output and exit code."""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run_ubit(*args: str | os.PathLike[str], cwd: str | os.PathLike[str] | None = None,
             env: dict[str, str] | None = None, timeout: float = 60,
             input: bytes | None = None,
             wrapper: list[str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run ``python -m ubit ARGS`` and return the completed process (text output)."""
    full_env = dict(os.environ)
    full_env.pop("UBIT_DEBUG", None)
    if env:
        full_env.update(env)
    return subprocess.run(
        [*(wrapper or []), sys.executable, "-m", "ubit", *map(str, args)],
        cwd=cwd or ROOT, env=full_env, capture_output=True, text=True, timeout=timeout,
        input=input.decode() if input is not None else None,
    )


def cpu_of_ubit(*args: str | os.PathLike[str], env: dict[str, str] | None = None,
                timeout: float = 120) -> tuple[float, str]:
    """CPU seconds of ``python -m ubit ARGS`` and its board processes (waited children of
    its own), and its output; it must succeed. CPU, not wall, time: a test comparing two
    runs' speeds must not fail because the machine was busy during one of them."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    proc = run_ubit(*args, env=env, timeout=timeout)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    assert proc.returncode == 0, proc.stderr
    used = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return used, proc.stdout


def assert_clean_error(proc: subprocess.CompletedProcess[str], command: str,
                       code: int = 1) -> str:
    """Check a failure is one ``ubit: <command>: ...`` line, the exit code, and no traceback."""
    assert proc.returncode == code, (proc.returncode, proc.stdout, proc.stderr)
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith(f"ubit: {command}: "), proc.stderr
    assert "Traceback" not in proc.stderr
    return lines[0]
