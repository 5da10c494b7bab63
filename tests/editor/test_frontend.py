"""The page's TypeScript type-checks (tsc), and the built page is what the sources give."""

from __future__ import annotations

import subprocess

import pytest

from tests.ubitcli import ROOT

FRONTEND = ROOT / "frontend"
TSC = FRONTEND / "node_modules" / ".bin" / "tsc"


@pytest.mark.skipif(not TSC.exists(), reason="needs the front end's npm packages (make)")
def test_the_page_type_checks() -> None:
    proc = subprocess.run([str(TSC), "--noEmit", "-p", str(FRONTEND)], capture_output=True,
                          text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
