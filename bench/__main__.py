"""``make bench``: run the benchmarks in bench/ (all, or those named: hex, sim, dev, sound,
radio, editor, complete, check, mark, asm, code, flash, plot, mem)."""

from __future__ import annotations

import sys

from bench import (
    asmbench,
    checkbench,
    codebench,
    completebench,
    devbench,
    editorbench,
    flashbench,
    hexbench,
    markbench,
    membench,
    plotbench,
    radiobench,
    simbench,
    soundbench,
)

BENCHMARKS = {"hex": hexbench, "sim": simbench, "dev": devbench, "sound": soundbench,
              "radio": radiobench, "editor": editorbench,
              "complete": completebench, "check": checkbench, "mark": markbench,
              "asm": asmbench, "code": codebench, "flash": flashbench,
              "plot": plotbench, "mem": membench}


def main() -> None:
    """Run all benchmarks in turn (or those named)."""
    chosen = sys.argv[1:] or list(BENCHMARKS)
    if any(name in ("-h", "--help") for name in chosen):
        print(__doc__.replace("``", "'"))
        return
    unknown = [name for name in chosen if name not in BENCHMARKS]
    if unknown:
        sys.exit(f"bench: no benchmark called {unknown[0]!r}; the names are: "
                 + ", ".join(BENCHMARKS))
    for name in chosen:
        BENCHMARKS[name].main()


if __name__ == "__main__":
    main()
