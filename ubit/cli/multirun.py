"""``ubit run a.py b.py …``: several virtual boards in one radio space."""

from __future__ import annotations

import sys
from typing import Any

from ubit.errors import UsageError


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


def run_fleet_headless(options: list[Any], scripts: list[str]) -> int:
    """Run the boards in shared virtual time, printing their output in board-time order."""
    from ubit.cli.programs import check_time_limit, refusal
    from ubit.errors import TimeLimitError
    from ubit.sim.host.fleet import Fleet
    from ubit.sim.host.handle import BoardCrashed

    printer = LinePrinter(sys.stdout.buffer)
    failed = stopped = False
    refused = []
    with Fleet(options, on_output=printer) as fleet:
        try:
            for index, (each, board) in enumerate(zip(options, fleet.boards, strict=True)):
                try:
                    result = board.wait()
                except BoardCrashed as exc:
                    print(f"ubit: run: {each.label}: {exc}", file=sys.stderr)
                    failed = True
                    continue
                why = refusal(board, each, scripts[index] if index < len(scripts) else None)
                if why:
                    refused.append(f"{each.label}: {why}")
                try:
                    check_time_limit(result, each, f"{each.label}: ")
                except TimeLimitError as exc:
                    print(f"ubit: run: {exc}", file=sys.stderr)
                    stopped = True
                failed = failed or result["status"] in ("error", "panic")
        except KeyboardInterrupt:
            fleet.interrupt()
            fleet.wait(timeout=5)
            failed = True
    printer.finish()
    if refused:
        raise UsageError("; ".join(refused))
    return TimeLimitError.exit_code if stopped else 1 if failed else 0
