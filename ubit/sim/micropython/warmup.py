"""A spawned board's wait for ``start``, put to use.

A board process spawned as its host starts (``ubit run``) has imported the emulation
before its host has parsed the command line and read the program. Until ``start``
comes it does here, in small steps, what it would do after: the imports every board
makes as it is confined and built, and the sandbox's preparations (the fork server's
``preload`` does the same once for all its boards). It checks for ``start`` between
steps, so a board whose host was quicker loses at most one step. Nothing here depends
on the start configuration, and nothing the program can see differs: a forked board
starts from the same state.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Iterator

# Imported by every board after ``start`` (the sandbox, the parts, the REPL's help text,
# the files API...), then what most programs import (``from microbit import *``).
ALWAYS = ("ubit.sim.board.sandbox", "ubit.errors", "ubit.hexfile.fslayout",
          "ubit.sim.shared.rf", "ubit.sim.micropython.args", "ubit.sim.micropython.f32",
          "ubit.sim.micropython.api.files", "ubit.sim.micropython.modules.gc",
          "ubit.sim.micropython.modules.struct", "ubit.sim.micropython.helptext",
          "ubit.sim.micropython.asm.runtime", "ubit.sim.micropython.userclasses", "_json")
LIKELY = ("ubit.sim.micropython.modules.microbit",)


def prepare() -> None:
    """Take the steps until the host's ``start`` is waiting on the control channel (the
    second argument), without reading it."""
    import select

    control_fd = int(sys.argv[2])
    for step in steps():
        try:
            if select.select([control_fd], [], [], 0)[0]:
                return
            step()
        except Exception:  # noqa: BLE001 - the board does it itself after start, and says
            return


def steps() -> Iterator[Callable[[], object]]:
    """What to do while waiting, most certainly needed first (each found as the one before
    is done: a board whose ``start`` is waiting already imports nothing it may not need)."""
    from ubit.sim.micropython import firmware

    def sandbox() -> None:
        from ubit.sim.board import sandbox

        sandbox._preload_unwinder()  # noqa: SLF001 - every board loads it as it is confined
        sandbox._libc()  # noqa: SLF001

    def parts(board: str) -> Callable[[], object]:
        return lambda: firmware.part_events(board)

    def module(name: str) -> Callable[[], object]:
        return lambda: importlib.import_module(name)

    yield from (sandbox, parts("v2"), parts("v1"), *map(module, ALWAYS),
                firmware.readable_folders, *map(module, LIKELY))
    from ubit.sim.micropython.modules.microbit import AREAS  # imported by the step before

    # the areas last, one at a time: ``from microbit import *`` imports each of them
    yield from (module(f"ubit.sim.micropython.api.{area}") for area in AREAS)
