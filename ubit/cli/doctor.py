"""``ubit doctor``: what this machine gives ubit, and how its virtual boards are confined."""

from __future__ import annotations

import argparse
import sys

from ubit.cli.parser import add_command


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``ubit doctor``."""
    parser = add_command(
        sub, "doctor", "Say how virtual boards are sandboxed here, and what ubit can use.",
        "  ubit doctor\n",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Start a board, print what confines it; exit 1 when isolation is weaker than it can be."""
    from ubit import __version__
    from ubit.sim.host import isolation
    from ubit.sim.host.start import BoardOptions, start_board

    print(f"ubit {__version__} on Python {sys.version.split()[0]} ({sys.platform})")
    with start_board(BoardOptions(files={"main.py": b"pass\n"})) as board:
        ready = board.wait_ready(timeout=20)
        board.wait(timeout=20)
    sandbox = ready.get("sandbox") or {}
    print("virtual boards run sandboxed:")
    for line in isolation.describe(sandbox):
        print(f"  {line}")
    print(qemu_report())
    print(floats_report())
    print(random_report())
    print(fast_paths_report())
    note = isolation.weaker(sandbox)
    if note:
        print(note)
        return 1
    return 0


def floats_report() -> str:
    """One line: whether board floats round in C (fast) or in Python."""
    from ubit.sim.micropython import f32

    if f32.native():
        return "board floats: single precision in C (_f32native)"
    if f32.native_built():
        return "board floats: single precision in Python (UBIT_F32_NATIVE=0)"
    return ("board floats: single precision in Python, several times slower (_f32native "
            "isn't built: install a C compiler and Python's headers, then reinstall ubit)")


def random_report() -> str:
    """One line: whether the V2's random numbers are drawn in C (fast) or in Python."""
    from ubit.sim.micropython.modules import random

    if random.native():
        return "V2 random numbers: drawn in C (_randnative)"
    if random._randnative is not None:  # noqa: SLF001 - built, switched off
        return "V2 random numbers: drawn in Python (UBIT_RANDOM_NATIVE=0)"
    return ("V2 random numbers: drawn in Python, about 5x slower (_randnative isn't built: "
            "install a C compiler and Python's headers, then reinstall ubit)")


def fast_paths_report() -> str:
    """One line: whether the cost model's meter, the sort's type check, the dict and set
    bases (hash order) and the sandbox's system calls are C's."""
    import importlib.util

    from ubit.sim.micropython import hashorder

    modules = {"cost meter": "ubit.sim.board._costnative",
               "sort check": "ubit.sim.micropython._sortnative",
               "dict and set order": "ubit.sim.micropython._hashnative",
               "sandbox calls": "ubit.sim.board._confinenative",
               "str() of a name": "ubit.sim.micropython._strnative"}
    built = [name for name, module in modules.items() if importlib.util.find_spec(module)]
    missing = [name for name in modules if name not in built]
    if not missing:
        if not hashorder.native():  # built, switched off
            return ("board time and sorting: in C (_costnative, _sortnative), sandbox calls "
                    "and str() too (_confinenative, _strnative); dict and set order in "
                    "Python (UBIT_HASH_NATIVE=0)")
        return ("board time and sorting: in C (_costnative, _sortnative), sandbox calls and "
                "str() too (_confinenative, _strnative); dict and set order too (_hashnative)")
    return (f"board time and sorting: {', '.join(missing)} in Python, slower (not built: "
            "install a C compiler and Python's headers, then reinstall ubit)")


def qemu_report() -> str:
    """One line: where QEMU is and its version, or how to install it."""
    import subprocess

    from ubit.cli.firmwarerun import INSTALL_HINT
    from ubit.device.qemu import QEMU_BINARY, find_qemu

    qemu = find_qemu()
    if qemu is None:
        return (f"{QEMU_BINARY}: not found (ubit run --firmware needs it to run the real V1 "
                f"firmware); {INSTALL_HINT}")
    try:
        proc = subprocess.run([qemu, "--version"], capture_output=True, text=True, timeout=10,
                              stdin=subprocess.DEVNULL)
        first = proc.stdout.splitlines()[0] if proc.stdout.strip() else ""
    except (OSError, subprocess.SubprocessError):
        first = ""
    version = first.split("version", 1)[1].split()[0] if "version" in first else None
    what = f"QEMU {version}" if version else "version unknown (it didn't say)"
    return (f"{QEMU_BINARY}: {qemu}, {what} (for ubit run --firmware, the real V1 firmware, "
            "and ubit's tests)")
