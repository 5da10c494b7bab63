"""Flash over serial: a 3-file project to a board that already runs MicroPython.

The board is the virtual micro:bit V2 on a pty (``ubit sim``). Contenders, each a whole
process: ``ubit flash FILES --port`` (the editor's Flash button takes the same path),
uflash3's serial method (it checks the board's MicroPython version and, when it is the
bundled one, copies main.py with microfs; the other two files go with microfs2, as Mu's
Files pane would send them), and ``mpremote cp`` of the three files followed by a soft
reset. Each run is checked: the three files must be on the board with their contents.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from bench.common import RUNS, tool
from bench.devbench import PY, board_files, print_results, sim_target, timed

FILES = {
    "main.py": "import helper\nfrom microbit import *\n\nwhile True:\n"
               "    display.scroll(helper.greeting())\n    sleep(1000)\n" * 8,
    "helper.py": "".join(f"def f{i}(x):\n    return x * {i} + 1\n\n" for i in range(60))
                 + "def greeting():\n    return 'hello'\n",
    "data.txt": "".join(f"{i},{i * i},{i % 7}\n" for i in range(150)),
}

UFLASH_SCRIPT = """\
import sys, pathlib, microfs, uflash
port, folder = sys.argv[1], pathlib.Path(sys.argv[2])
uflash.flash(path_to_python=pathlib.Path("main.py"), path_to_microbit=folder, port=port)
with microfs.MicroBitSerial(port) as serial:
    for name in ("helper.py", "data.txt"):
        microfs.put(serial, pathlib.Path(name), name)
"""


def contenders(port: str, folder: Path) -> dict[str, list[str]]:
    """The command line of each contender, sending the three files to ``port``."""
    names = list(FILES)
    return {
        "ubit flash --port": [tool("ubit"), "flash", *names, "--port", port],
        "uflash3 (serial) + microfs2": [PY, "-c", UFLASH_SCRIPT, port, str(folder)],
        "mpremote cp + soft-reset": [PY, "-m", "mpremote", "connect", port,
                                     *[arg for name in names
                                       for arg in ("cp", name, f":{name}", "+")],
                                     "soft-reset"],
    }


def clear_board(port: str) -> None:
    """Remove the project's files from the board, so every run sends them all."""
    def rm(files: object) -> None:
        for name in set(files.ls()) & set(FILES):  # type: ignore[attr-defined]
            files.rm(name)  # type: ignore[attr-defined]
    board_files(port, rm)


def check_board(port: str) -> str | None:
    """What is wrong with the files on the board, if anything."""
    def get(files: object) -> dict[str, bytes]:
        return {name: files.get(name) for name in FILES}  # type: ignore[attr-defined]
    got = board_files(port, get)
    wrong = [name for name, text in FILES.items() if got.get(name) != text.encode()]
    return f"wrong {', '.join(wrong)} on the board" if wrong else None


def main() -> None:
    """Time each contender on a fresh virtual board and print ratios."""
    work = Path(tempfile.mkdtemp(prefix="ubit-flashbench-"))
    drive = work / "drive"  # uflash wants a drive folder even when it sends over serial
    drive.mkdir()
    for name, text in FILES.items():
        (work / name).write_text(text)
    size = sum(len(text) for text in FILES.values())
    results = {}
    for name in contenders("PORT", drive):
        with sim_target() as port:
            argv = contenders(port, drive)[name]
            results[name] = timed(argv, work, lambda p=port: clear_board(p),
                                  lambda p=port: check_board(p))
    print_results(f"flash a 3-file project ({size:,} bytes) over serial to a board that "
                  f"runs MicroPython, virtual V2 on a pty (median of {RUNS} whole processes)",
                  results)


if __name__ == "__main__":
    main()
