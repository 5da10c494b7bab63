"""The board stubs as the checks read them, kept between runs so ``ubit check`` starts fast.

Deriving a board's stubs (``stubs.board_tree``) parses and filters every .pyi, about a
tenth of a second per run; the derived trees are pickled once to the cache folder (one
file per board, named by a hash of the stub sources and of ``stubs.py``) and each run
unpickles only the modules it looks at. A cache that can't be written is only slower.
"""

from __future__ import annotations

import ast
import hashlib
import os
import pickle
from functools import cache
from pathlib import Path

from ubit.check import stubs
from ubit.fileio import atomic_write
from ubit.runtimes import cache_dir

CACHE_FORMAT = 1


@cache
def _key() -> str:
    digest = hashlib.sha256(f"{CACHE_FORMAT}".encode() + Path(stubs.__file__).read_bytes())
    for path in sorted(stubs.SOURCE.rglob("*.pyi")):
        digest.update(str(path.relative_to(stubs.SOURCE)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


@cache
def _board(board: str) -> tuple[frozenset[str], dict[str, bytes]]:
    """(the board's modules, module → its pickled tree), from the cache or built."""
    path = cache_dir() / f"check-stubs-{board}-{_key()}.pickle"
    try:
        with open(path, "rb") as cached:
            return pickle.load(cached)
    except (OSError, pickle.UnpicklingError, EOFError, ValueError, TypeError):
        pass
    modules = stubs.board_modules(board)
    trees = {m: pickle.dumps(stubs.board_tree(board, m), pickle.HIGHEST_PROTOCOL)
             for m in modules if m != "builtins"}
    try:
        os.makedirs(path.parent, exist_ok=True)
        atomic_write(path, pickle.dumps((modules, trees), pickle.HIGHEST_PROTOCOL))
    except Exception:  # an unwritable cache only costs time
        pass
    return modules, trees


def board_modules(board: str) -> frozenset[str]:
    """``stubs.board_modules``, cached between runs."""
    return _board(board)[0]


@cache
def board_tree(board: str, module: str) -> ast.Module:
    """``stubs.board_tree``, cached between runs (KeyError if the board hasn't it)."""
    return pickle.loads(_board(board)[1][module])


@cache
def module_names(board: str, module: str) -> frozenset[str]:
    """``stubs.module_names``, cached between runs (KeyError if the board hasn't it)."""
    if module == "builtins":
        return stubs.BUILTIN_NAMES[board]
    return frozenset(e.name for e in stubs.entities(board_tree(board, module).body)
                     if not e.name.startswith("_"))
