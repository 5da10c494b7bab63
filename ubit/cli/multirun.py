"""``ubit run a.py b.py …``: several virtual boards in one radio space."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from ubit.errors import UsageError

ONE_BOARD_OPTIONS = (("device", "--device"), ("port", "--port"), ("fs", "--fs"),
                     ("audio", "--audio"), ("log_csv", "--log-csv"))


def run_several(args: argparse.Namespace) -> int:
    """Run each program on its own board; headless in shared virtual time, else live."""
    from ubit.cli.run import input_scripts, load_program
    from ubit.sim.host.fleet import BoardPlan, labels_for

    for attr, option in ONE_BOARD_OPTIONS:
        if getattr(args, attr, None) and len(args.programs) > 1:
            raise UsageError(f"{option} works with one program; several were given")
    positions = args.at or []
    if len(positions) > len(args.programs):
        raise UsageError(f"{len(positions)} --at positions for {len(args.programs)} programs: "
                         "give one per program, in order")
    inputs = input_scripts(args, len(args.programs))
    labels = labels_for([Path(program).name for program in args.programs])
    plans = [BoardPlan(load_program(program), label, args.boards[index],
                       inputs=inputs[index],
                       position=positions[index] if index < len(positions) else None)
             for index, (program, label) in enumerate(zip(args.programs, labels, strict=True))]
    if args.headless or not (sys.stdout.isatty() and sys.stdin.isatty()):
        return run_fleet_headless(plans, args)
    from ubit.cli.live import run_live

    return run_live(plans, args)


class LinePrinter:
    """Each board's output as whole lines, each starting with the board's name."""

    def __init__(self, out: Any) -> None:
        self.out = out
        self.partial: dict[int, str] = {}
        self.labels: dict[int, str] = {}

    def __call__(self, index: int, label: str, t_us: int, text: str) -> None:
        """Take output ``text`` of board ``index`` (in board-time order)."""
        self.labels[index] = label
        lines = (self.partial.pop(index, "") + text.replace("\r\n", "\n")).split("\n")
        for line in lines[:-1]:
            self.out.write(f"{label}: {line}\n".encode("latin-1"))
        if lines[-1]:
            self.partial[index] = lines[-1]
        self.out.flush()

    def finish(self) -> None:
        """Print what is left of unfinished lines."""
        for index, rest in sorted(self.partial.items()):
            self.out.write(f"{self.labels[index]}: {rest}\n".encode("latin-1"))
        self.partial.clear()
        self.out.flush()


def run_fleet_headless(plans: list[Any], args: argparse.Namespace) -> int:
    """Run the boards in shared virtual time, printing their output in board-time order."""
    from ubit.sim.host.fleet import Fleet
    from ubit.sim.host.handle import BoardCrashed

    printer = LinePrinter(sys.stdout.buffer)
    limit = args.time * 1000 if args.time is not None else None
    failed = False
    with Fleet(plans, virtual=True, time_limit_ms=limit, seed=args.seed,
               on_output=printer) as fleet:
        try:
            for plan, board in zip(plans, fleet.boards, strict=True):
                try:
                    result = board.wait()
                except BoardCrashed as exc:
                    print(f"ubit: run: {plan.label}: {exc}", file=sys.stderr)
                    failed = True
                    continue
                failed = failed or result["status"] in ("error", "panic")
        except KeyboardInterrupt:
            fleet.interrupt()
            fleet.wait(timeout=5)
            failed = True
    printer.finish()
    return 1 if failed else 0
