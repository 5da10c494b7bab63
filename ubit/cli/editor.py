"""``ubit editor``: the browser editor with the virtual micro:bit beside the code."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ubit.cli.parser import add_command
from ubit.errors import InputFileError, UsageError


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``ubit editor``."""
    parser = add_command(
        sub, "editor", "Open the micro:bit editor in your browser (served on this computer).",
        "  ubit editor                 your projects (kept in ~/.local/share/ubit/projects)\n"
        "  ubit editor game/           the folder game/ as a project\n"
        "  ubit editor --port 8100 --no-browser   print the address instead of opening it\n"
        "\n"
        "The editor works with no internet. Only this computer can reach it, and only with\n"
        "the address it prints (it holds a secret token). Ctrl-C stops it.\n",
    )
    parser.add_argument("folder", nargs="?", metavar="FOLDER",
                        help="a folder to open as a project (its files are the board's)")
    parser.add_argument("--port", type=int, default=0,
                        help="the port to listen on (default: any free one)")
    parser.add_argument("--no-browser", action="store_true",
                        help="don't open a browser: print the address to open")
    parser.add_argument("--projects", metavar="DIR",
                        help="where projects are kept (default ~/.local/share/ubit/projects)")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Serve the editor until Ctrl-C."""
    from ubit.editor.app import serve
    from ubit.editor.projects import default_library

    folder = None
    if args.folder:
        folder = Path(args.folder)
        if not folder.is_dir():
            raise InputFileError(f"{args.folder}: not a folder (give a folder of files)")
    if not 0 <= args.port <= 65535:
        raise UsageError(f"--port {args.port}: give a port from 1 to 65535")
    library = Path(args.projects) if args.projects else default_library()
    return serve(library, folder, args.port, open_browser=not args.no_browser,
                 say=lambda text: print(text, file=sys.stderr, flush=True))
