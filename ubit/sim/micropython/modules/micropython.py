"""``micropython`` (reference §26): const, opt_level, memory and stack reports, Ctrl-C.

``mem_info()`` prints the firmware's lines from the heap model in ``gc.py``;
with an argument it also draws the block table (used blocks first, as a heap
after a fresh collection looks; the heap's address is V1's under QEMU, V2's a
placeholder). The stack figures are estimates: V1 reports
460 bytes at the top level of main.py (measured under QEMU) and has room for
about five calls in its 1800 bytes; V2's 7680 bytes hold about 25.
``qstr_info()`` counts the program's own identifiers (names the firmware
doesn't already have). ``heap_lock()`` is recorded but not enforced. ``schedule`` (V2) runs the
function at the next call into the board, at most 4 waiting, as the
firmware's scheduler queue.
"""

from __future__ import annotations

import ast
import builtins
import sys
from collections import deque

from ubit.sim.board.board import Board
from ubit.sim.micropython.args import to_int
from ubit.sim.micropython.boundary import api
from ubit.sim.micropython.modulefiles import module_file
from ubit.sim.micropython.modules.gc import BLOCK, blocks, heap_of
from ubit.sim.micropython.tracebacks import is_user_file
from ubit.sim.shared.typenames import Any

STACK_AT_TOP = 460  # stack_use() at the top level of main.py (V1 under QEMU)
MEM_INFO_EXTRA = 32  # mem_info's own frame (it reported 492 where stack_use gave 460)
SCHEDULE_DEPTH = 4
LINE_BLOCKS = 64  # blocks per line of the mem_info(1) table
QSTR_POOL_INIT = 10  # MICROPY_ALLOC_QSTR_ENTRIES_INIT: the first pool's size, then doubling


def user_depth() -> int:
    """User frames on this thread's stack (1 at the top level of main.py)."""
    depth, frame = 0, sys._getframe(1)
    while frame is not None:
        depth += is_user_file(frame.f_code.co_filename)
        frame = frame.f_back
    return max(1, depth)


def block_table(total_blocks: int, allocations: list[int]) -> list[str]:
    """The lines of ``mem_info(1)``'s table: ``h`` heads, ``=`` tails, ``.`` free."""
    cells = "".join("h" + "=" * (size - 1) for size in allocations if size > 0)
    cells = cells[:total_blocks].ljust(total_blocks, ".")
    lines, start = [], 0
    while start < total_blocks:
        run = len(cells[start:]) - len(cells[start:].lstrip("."))
        if run >= 2 * LINE_BLOCKS:  # two or more free lines are summarised
            lines.append(f"       ({run // LINE_BLOCKS} lines all free)")
            start += run // LINE_BLOCKS * LINE_BLOCKS
            if start >= total_blocks:
                break
        lines.append(f"{start * BLOCK:05x}: {cells[start:start + LINE_BLOCKS]}")
        start += LINE_BLOCKS
    return lines


def new_qstrs(board: Board) -> set[str]:
    """Identifiers in the user's code that the firmware doesn't already know."""
    found: set[str] = set()
    files = ["main.py"] + [module_file(board, m) or "" for m in board.modules.values()]
    for name in dict.fromkeys(files):
        try:
            tree = ast.parse(board.files.get(name, b""))
        except (SyntaxError, ValueError):
            continue
        for node in ast.walk(tree):
            for field in ("id", "attr", "name", "arg", "asname"):
                value = getattr(node, field, None)
                if isinstance(value, str):
                    found.add(value)
    known = set(dir(builtins)) | set(board.spec.modules) | set(board.spec.aliases)
    for kind in (str, bytes, list, dict, tuple, set, int, float, object, BaseException):
        known.update(dir(kind))
    for module in board.modules.values():
        if module_file(board, module) is None:
            for attr, value in vars(module).items():
                known.add(attr)
                if isinstance(value, type):
                    known.update(vars(value))
    return found - known


def create(board: Board) -> dict[str, Any]:
    """The names of ``micropython`` on ``device``."""
    spec = board.spec
    heap = heap_of(board)
    per_frame = (spec.stack_limit - STACK_AT_TOP) // spec.max_frames
    optimise = {"level": 0}
    pending: deque[tuple[Any, Any]] = deque()

    def stack_now() -> int:
        return STACK_AT_TOP + per_frame * (user_depth() - 1)

    def const(value: Any) -> Any:
        """``value`` itself (the compiler folds it into the code)."""
        return value

    def opt_level(*level: Any) -> int | None:
        """Get or set the compiler's optimisation level."""
        if not level:
            return optimise["level"]
        optimise["level"] = to_int(level[0])
        return None

    def mem_info(*verbose: Any) -> None:
        """Print stack and heap use (with an argument, the heap's block table too)."""
        total, used, free, allocations = heap.figures()
        sizes = [n for n in allocations if n > 0]
        lines = [f"stack: {stack_now() + MEM_INFO_EXTRA} out of {spec.stack_limit}",
                 f"GC: total: {total}, used: {used}, free: {free}",
                 f" No. of 1-blocks: {sizes.count(1)}, 2-blocks: {sizes.count(2)}, "
                 f"max blk sz: {max(sizes, default=0)}, max free sz: {free // BLOCK}"]
        if verbose:
            table = block_table(total // BLOCK, [used // BLOCK - sum(sizes), *sizes])
            lines.append(f"GC memory layout; from {spec.heap_address:x}:")
            lines[-1] += "\n" + "\n".join(table)
        board.serial.write_text("\n".join(lines) + "\n")
        board.clock.poll()

    def qstr_info(*verbose: Any) -> None:
        """Print the interned-string pool's figures (the program's own names)."""
        names = new_qstrs(board)
        data = sum(len(name.encode()) + spec.qstr_hash_bytes + 2 for name in names)  # +len, NUL
        pools, pool_bytes, left, alloc = 0, 0, len(names), QSTR_POOL_INIT
        while left > 0:
            pools, pool_bytes = pools + 1, pool_bytes + blocks(16 + 4 * alloc) * BLOCK
            left, alloc = left - alloc, alloc * 2
        board.serial.write_text(f"qstr pool: n_pool={pools}, n_qstr={len(names)}, "
                                 f"n_str_data_bytes={data}, "
                                 f"n_total_bytes={pool_bytes + data}\n")
        board.clock.poll()

    def stack_use() -> int:
        """Bytes of stack in use."""
        return stack_now()

    def heap_lock() -> None:
        """Lock the heap (recorded; allocations are not refused here)."""
        heap.locked += 1

    def heap_unlock() -> None:
        """Unlock the heap."""
        heap.locked = max(0, heap.locked - 1)

    def kbd_intr(chr: Any) -> None:  # noqa: A002 - the firmware's argument name
        """Set the character that raises KeyboardInterrupt (-1: none)."""
        board.serial.interrupt_char = to_int(chr)

    def run_pending() -> None:
        while pending:
            function, argument = pending.popleft()
            function(argument)

    def schedule(function: Any, arg: Any) -> None:
        """Run ``function(arg)`` soon, from the main program."""
        if len(pending) >= SCHEDULE_DEPTH:
            raise RuntimeError("schedule queue full")
        pending.append((function, arg))
        board.clock.call_later(0, run_pending)

    functions = [const, opt_level, mem_info, qstr_info, stack_use, heap_lock, heap_unlock,
                 kbd_intr] + ([schedule] if spec.micropython_schedule else [])
    names: dict[str, Any] = {"__name__": "micropython"}
    names.update({fn.__name__: api(fn) for fn in functions})
    return names
