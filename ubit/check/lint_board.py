"""What the board refuses about a project as a whole: file names, size, missing modules.

The limits are the hex builder's (``ubit.hexfile``): a name ``check_name`` accepts, and
files that ``check_room`` fits in the filesystem of the board's bundled runtime.
"""

from __future__ import annotations

import ast
from collections.abc import Mapping

from ubit.check import lint_stubs, stubs
from ubit.check.astnodes import every_node
from ubit.check.findings import ERROR, WARNING, Finding
from ubit.check.lint_api import guarded_nodes
from ubit.errors import FileNameError, FilesystemFullError

LABEL = {"v1": "V1", "v2": "V2"}


def name_findings(names: list[str]) -> list[Finding]:
    """A file name the micro:bit's filesystem can't store (too long, a folder in it)."""
    from ubit.hexfile.sources import check_name

    found = []
    for name in names:
        try:
            check_name(name)
        except FileNameError as exc:
            message = str(exc).removeprefix(f"{name}: ")
            found.append(Finding(name, 1, 1, ERROR, "file-name", message))
    return found


def size_findings(files: Mapping[str, bytes], boards: tuple[str, ...]) -> list[Finding]:
    """The project too big for a board's filesystem, with by how much (the builder's words)."""
    from ubit.hexfile.fslayout import check_room
    from ubit.hexfile.targets import board_named
    from ubit.runtimes import bundled_runtime

    if not files:
        return []
    found = []
    biggest = max(files, key=lambda name: len(files[name]))
    for board in boards:
        try:
            check_room(files, bundled_runtime(board_named(board)).fs_chunks, LABEL[board])
        except FilesystemFullError as exc:
            found.append(Finding(biggest, 1, 1, ERROR, "too-big",
                                 f"{exc}: the micro:bit won't take the program", board))
    return found


def compile_findings(sources: Mapping[str, str], trees: Mapping[str, ast.Module],
                     boards: tuple[str, ...]) -> list[Finding]:
    """Files too long for the V1 to compile in its heap: a MemoryError before they run
    (``ubit.sim.shared.compilememory``, fitted to the V1 firmware under QEMU). A module is
    compiled while main.py's code and parse tree are held, so it has less room."""
    if "v1" not in boards or not trees:
        return []
    from ubit.sim.shared import compilememory
    from ubit.sim.shared.boards import V1

    room = V1.heap_free_at_start
    main = trees.get("main.py")
    found = []
    for name, tree in trees.items():
        if name == "main.py" or main is None:
            space, where = room, "before it runs"
        else:
            space = room - sum(compilememory.retained(main, running=True))
            where = "when main.py imports it"
        if not compilememory.may_not_fit(sources[name], space):
            continue  # too short to be near the limit: no estimate needed
        if compilememory.failing_allocation(tree, space) is not None:
            found.append(Finding(
                name, 1, 1, ERROR, "too-long-to-compile",
                f"too long for the V1 to compile in its 10 KB of memory: MemoryError {where}; "
                "move part of it into a file of its own and import that, or shorten it", "v1"))
    return found


def module_findings(name: str, tree: ast.Module, boards: tuple[str, ...],
                    project: frozenset[str]) -> list[Finding]:
    """Imports of modules the board doesn't have (``import requests``).

    ``project`` holds the modules the project's own files make (``words`` for words.py).
    """
    have = {board: lint_stubs.board_modules(board) for board in stubs.BOARDS}
    guarded = guarded_nodes(tree)
    found = []
    for node in every_node(tree):
        if id(node) in guarded:
            continue  # try: import log / except ImportError: the program expects it missing
        if isinstance(node, ast.Import):
            modules = [(alias.name, node) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            modules = [(node.module, node)]
        else:
            continue
        for module, where in modules:
            top = module.split(".")[0]
            if "." in module and (top in project or any(top in have[b] for b in boards)):
                # import mymod.py: no module is a package on the micro:bit, so the board
                # runs mymod, then says "no module named 'mymod.py'" (the V1 under QEMU)
                rest = module[len(top) + 1:]
                advice = f"import {top} (without .py)" if rest == "py" else \
                    f"import {top}, or from {top} import {rest.split('.')[0]}"
                found.append(Finding(name, where.lineno, where.col_offset + 1, ERROR,
                                     "dotted-import", f"the micro:bit has no module called "
                                     f"'{module}': {advice}", "both"))
                continue
            if top in project:
                continue
            on = [b for b in stubs.BOARDS if top in have[b]]
            missing = [b for b in boards if b not in on]
            if not missing:
                continue
            if not on:
                found.append(Finding(name, where.lineno, where.col_offset + 1, ERROR,
                                     "unknown-module",
                                     f"the micro:bit has no module called '{top}': it has "
                                     "only its own modules (microbit, music, radio...) and "
                                     "the project's .py files", "both"))
            else:
                level = ERROR if len(missing) == len(boards) else WARNING
                found.append(Finding(name, where.lineno, where.col_offset + 1, level,
                                     "board-only",
                                     f"the module '{top}' exists only on micro:bit "
                                     f"{LABEL[on[0]]}, not on the {LABEL[missing[0]]}",
                                     missing[0]))
    return found
