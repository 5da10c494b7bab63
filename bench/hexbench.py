"""Building and extracting a universal hex with a 10 KB main.py: ubit vs microbit-fs vs uflash3."""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

from bench.common import report, time_command, tool

PY = sys.executable


def make_program(folder: Path) -> Path:
    """A 10,000-byte main.py of plausible code."""
    line = "display.scroll('score: ' + str(score))  # keep going\n"
    text = "from microbit import *\nscore = 0\n"
    while len(text) + len(line) <= 10_000:
        text += line
    text += "#" * (9_999 - len(text)) + "\n"
    path = folder / "main.py"
    path.write_text(text)
    return path


def main() -> None:
    """Run the build and extract benchmarks and print ratios."""
    work = Path(tempfile.mkdtemp(prefix="ubit-bench-"))
    try:
        make_program(work)
        # warm ubit's runtime cache once, as any second build on a machine finds it
        time_command("warm-up", [tool("ubit"), "hex", "build", "main.py", "-o", "u.hex"],
                     work, runs=1)
        ubit_build = time_command(
            "ubit hex build (universal)",
            [tool("ubit"), "hex", "build", "main.py", "-o", "u.hex"], work)
        mfs_build = time_command(
            "microbit-fs add --v1, add --v2, uhex join", [
                "sh", "-c",
                f"{tool('microbit-fs')} add main.py --v1=latest --output v1.hex >/dev/null && "
                f"{tool('microbit-fs')} add main.py --v2=latest --output v2.hex >/dev/null && "
                f"{tool('uhex')} join --v1 v1.hex --v2 v2.hex > mfs.hex"], work)
        out = work / "uflash-out"
        out.mkdir()
        uflash_cli = time_command(
            "uflash --old main.py (CLI, incl. its 0.5 s post-copy wait)",
            [tool("uflash"), "--old", "main.py", "-t", str(out)], work)
        uflash_lib = time_command(
            "uflash3 embed_fs_uhex (library call, own process)", [
                PY, "-c",
                "from importlib.resources import files; from uflash.lib import embed_fs_uhex;"
                "rt = (files('uflash') / 'universal-hex-v1.1.1-v2.1.2.hex').read_text();"
                "open('uf.hex', 'w').write(embed_fs_uhex(rt, open('main.py', 'rb').read()))"],
            work)
        report("Build a universal hex from a 10 KB main.py (median of whole processes)",
               ubit_build, [mfs_build, uflash_cli, uflash_lib], target=4)

        shutil.copy(work / "u.hex", work / "micropython.hex")

        def clean() -> None:
            for name in ("x", "m", "uf"):
                shutil.rmtree(work / name, ignore_errors=True)
                (work / name).mkdir()

        ubit_x = time_command("ubit hex extract (universal)",
                              [tool("ubit"), "hex", "extract", "u.hex", "-o", "x"], work,
                              before=clean)
        mfs_x = time_command("microbit-fs get (V2 hex; it can't read universal)",
                             [tool("microbit-fs"), "get", "v2.hex", "--output-dir", "m",
                              "--force"], work, before=clean)
        uf_x = time_command("uextract (universal)",
                            [tool("uextract"), "-s", "micropython.hex", "-m", ".",
                             "-t", "uf/main.py"], work, before=clean)
        report("Extract main.py from the hex (median of whole processes)",
               ubit_x, [mfs_x, uf_x])
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
