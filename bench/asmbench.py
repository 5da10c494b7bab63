"""``make bench`` (asm): the inline assembler's emulated speed on the virtual board.

A tight loop of real work (``add``/``sub``/``bne``) and a delay loop (``sub``/``bne``),
each run as a V1 and a V2 program (both are one-block loops: their turns run without a
Python hook, counted in a spare register); reported: emulated instructions per second and
the ratio of the device's own time for the loop to its wall time (at least 1: as fast as
the device). The wall time is the program's less the same program's with one turn, so the
board's start and the core's set-up (importing unicorn, assembling) aren't counted.
Target printed beside.
"""

from __future__ import annotations

import time

from tests.sim.runner import run_program

TIGHT = """\
import time
@micropython.asm_thumb
def work(r0):
    mov(r1, 0)
    label(loop)
    add(r1, r1, r0)
    sub(r0, 1)
    bne(loop)
    mov(r0, r1)
t = time.ticks_us()
work({n})
print(time.ticks_diff(time.ticks_us(), t))
"""
DELAY = TIGHT.replace("    add(r1, r1, r0)\n", "")
TARGET = 1.0  # device time / wall time


def measure(source: str, board: str) -> tuple[float, int]:
    """(wall seconds, the device's µs as the program measured them)."""
    started = time.perf_counter()
    result = run_program(source, board=board)
    wall = time.perf_counter() - started
    return wall, int(result.text.split()[-1])


def main() -> None:
    """Print the instructions per second and the real-time ratio of each loop and board."""
    print("asm: inline assembler on the emulated core (unicorn)")
    for board in ("v1", "v2"):
        for name, source, n, per_turn in (("tight loop", TIGHT, 200_000_000, 3),
                                          ("delay loop", DELAY, 200_000_000, 2)):
            base = min(measure(source.format(n=1), board)[0] for _ in range(2))
            wall, device_us = measure(source.format(n=n), board)
            run = max(wall - base, wall / 100)  # the start's cost varies: not below 1 %
            ratio = device_us / 1e6 / run
            print(f"  {board} {name:10}: {n * per_turn / run / 1e6:8.1f} M instructions/s, "
                  f"device time / wall time {ratio:7.2f} (target >= {TARGET:.0f})")


if __name__ == "__main__":
    main()
