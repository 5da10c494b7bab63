"""The micro:bit API as typed stubs (.pyi): one source, a folder per board.

The stubs in ``ubit/check/stubs/`` describe the V2 firmware (v2.1.2) and are the one
truth for both boards. Marks, all machine-readable from the docstrings:

- an entity (module, class, function, method, constant, object) whose docstring's first
  line ends with ``(V2 only)`` exists only on V2, one ending with ``(V1 only)`` only on
  V1 (``radio.RATE_250KBIT``);
- a function whose docstring has a line ``V2-only parameters: a, b.`` takes those
  parameters only on V2 (``speech.say(..., mode=, volume=, pin=)``): the V1 stub drops them;
- a constant or object is documented by a string statement right after it (as for
  attributes in Sphinx), a module/class/function by its own docstring.

Public names follow the stub rules: a name starting with ``_`` is private (the stubs'
helper classes such as ``_MicroBitDisplay``, which the firmware doesn't export), and an
import only re-exports in the ``import m as m`` / ``from m import x as x`` form.

Each board's folder is derived from the source with ``ast``: the other board's names
removed, and the firmware's ``u``-prefixed aliases (``utime`` for ``time``…) written as
copies. It is written once to the user's cache folder (as ``ubit.runtimes`` does), under a
name holding the source's hash, so tools such as jedi read a real folder per board.
``builtins`` has no stub file (editors know Python's own); its names on each board are
listed here, from the firmware's ``dir(builtins)``.
"""

from __future__ import annotations

import ast
import copy
import hashlib
import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from ubit.runtimes import cache_dir

BOARDS = ("v1", "v2")
SOURCE = Path(__file__).with_name("stubs")
V2_MARK = "(V2 only)"
V1_MARK = "(V1 only)"
STUB_FORMAT = 2  # bump when the derivation changes, so cached folders are rebuilt

# The firmware's other names for a module ("weak links" on V2, explicit aliases on V1);
# the stub is written once under the name beginners use. Reference section 3.1.
ALIASES = {
    "uarray": "array", "ucollections": "collections", "uerrno": "errno",
    "urandom": "random", "ustruct": "struct", "usys": "sys", "utime": "time",
}
V2_ONLY_ALIASES = frozenset({"uarray", "uerrno", "urandom", "usys"})

# dir(builtins) on the firmware (probe 101_builtins_dir), public names only.
_BUILTINS_COMMON = """
ArithmeticError AssertionError AttributeError BaseException EOFError Ellipsis Exception
GeneratorExit ImportError IndentationError IndexError KeyError KeyboardInterrupt
LookupError MemoryError NameError NotImplementedError OSError OverflowError RuntimeError
StopIteration SyntaxError SystemExit TypeError UnicodeError ValueError ZeroDivisionError
abs all any bin bool bytearray bytes callable chr classmethod dict dir divmod enumerate
eval exec filter float frozenset getattr globals hasattr hash help hex id input int
isinstance issubclass iter len list locals map max min next object oct open ord pow print
range repr reversed round set setattr slice sorted staticmethod str sum super tuple type zip
""".split()
BUILTIN_NAMES = {
    "v1": frozenset(_BUILTINS_COMMON),
    "v2": frozenset(_BUILTINS_COMMON + "StopAsyncIteration complex delattr memoryview "
                                       "property".split()),
}

_PARAMS_LINE = re.compile(r"^\s*V2-only parameters?:\s*(.+?)\.?\s*$", re.MULTILINE)


def _check_board(board: str) -> None:
    if board not in BOARDS:
        raise ValueError(f"unknown board {board!r}: expected one of {', '.join(BOARDS)}")


# --- reading the source ---------------------------------------------------------------

@dataclass(frozen=True)
class Entity:
    """One documented thing in a stub: its name, kind, docstring and AST node."""

    name: str
    kind: str  # "function", "class", "variable" or "module" (a re-exported module)
    doc: str | None
    node: ast.stmt


def _first_line(doc: str | None) -> str:
    return (doc or "").strip().split("\n", 1)[0].strip()


def doc_marks(doc: str | None) -> str | None:
    """The board an entity is limited to by its docstring ("v1", "v2"), or None."""
    first = _first_line(doc)
    if first.endswith(V2_MARK):
        return "v2"
    if first.endswith(V1_MARK):
        return "v1"
    return None


def v2_only_parameters(doc: str | None) -> tuple[str, ...]:
    """The parameters a function's docstring says exist only on V2."""
    found = _PARAMS_LINE.search(doc or "")
    if not found:
        return ()
    return tuple(p.strip() for p in found.group(1).split(",") if p.strip())


def _stmt_names(stmt: ast.stmt) -> list[tuple[str, str]]:
    """The (name, kind) pairs a top-level statement of a stub defines or re-exports."""
    if isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef):
        return [(stmt.name, "function")]
    if isinstance(stmt, ast.ClassDef):
        return [(stmt.name, "class")]
    if isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name):
        return [(stmt.target.id, "variable")]
    if isinstance(stmt, ast.Assign):
        return [(t.id, "variable") for t in stmt.targets if isinstance(t, ast.Name)]
    if isinstance(stmt, ast.Import):  # only "import m as m" re-exports (stub rule)
        return [(a.asname, "module") for a in stmt.names if a.asname and a.asname == a.name]
    if isinstance(stmt, ast.ImportFrom):
        return [(a.asname, "variable") for a in stmt.names if a.asname and a.asname == a.name]
    return []


def _docstring_after(body: list[ast.stmt], index: int) -> str | None:
    following = body[index + 1] if index + 1 < len(body) else None
    if (isinstance(following, ast.Expr) and isinstance(following.value, ast.Constant)
            and isinstance(following.value.value, str)):
        return following.value.value
    return None


def entities(body: list[ast.stmt]) -> list[Entity]:
    """Every named thing a module or class body defines, with its docstring, in order."""
    found = []
    for index, stmt in enumerate(body):
        for name, kind in _stmt_names(stmt):
            if kind in ("function", "class"):
                doc = ast.get_docstring(stmt, clean=True)  # type: ignore[arg-type]
            else:
                doc = _docstring_after(body, index)
            found.append(Entity(name, kind, doc, stmt))
    return found


@cache
def _source_files() -> dict[str, Path]:
    """Module name -> source .pyi (``pkg/__init__.pyi`` is ``pkg``, ``pkg/m.pyi`` is ``pkg.m``)."""
    files = {}
    for path in sorted(SOURCE.rglob("*.pyi")):
        parts = list(path.relative_to(SOURCE).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        files[".".join(parts)] = path
    return files


@cache
def _source_tree(module: str) -> ast.Module:
    path = _source_files()[module]
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def source_modules() -> frozenset[str]:
    """Every module the stubs describe, for either board (without the ``u`` aliases)."""
    return frozenset(_source_files())


# --- deriving a board's stubs ---------------------------------------------------------

def _keep(doc: str | None, board: str) -> bool:
    mark = doc_marks(doc)
    return mark is None or mark == board


def _drop_parameters(func: ast.FunctionDef | ast.AsyncFunctionDef, names: set[str]) -> None:
    args = func.args
    positional = args.posonlyargs + args.args
    defaults = [None] * (len(positional) - len(args.defaults)) + list(args.defaults)
    kept = [(a, d) for a, d in zip(positional, defaults, strict=True) if a.arg not in names]
    n_posonly = len([a for a in args.posonlyargs if a.arg not in names])
    args.posonlyargs = [a for a, _ in kept[:n_posonly]]
    args.args = [a for a, _ in kept[n_posonly:]]
    args.defaults = [d for _, d in kept if d is not None]
    kw = [(a, d) for a, d in zip(args.kwonlyargs, args.kw_defaults, strict=True)
          if a.arg not in names]
    args.kwonlyargs = [a for a, _ in kw]
    args.kw_defaults = [d for _, d in kw]


def _filter_body(body: list[ast.stmt], board: str) -> list[ast.stmt]:
    """The statements of ``body`` that exist on ``board``, members filtered recursively."""
    out: list[ast.stmt] = []
    skip_doc = False
    for index, stmt in enumerate(body):
        if skip_doc:  # the docstring of a statement just removed
            skip_doc = False
            continue
        names = _stmt_names(stmt)
        if names:
            if isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                doc = ast.get_docstring(stmt, clean=True)
            else:
                doc = _docstring_after(body, index)
            if not _keep(doc, board):
                skip_doc = doc is not None and not isinstance(
                    stmt, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
                continue
            if isinstance(stmt, ast.ClassDef):
                stmt.body = _filter_body(stmt.body, board) or [ast.Expr(ast.Constant(...))]
            elif isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef) and board != "v2":
                dropped = set(v2_only_parameters(doc))
                if dropped:
                    _drop_parameters(stmt, dropped)
        out.append(stmt)
    return out


def _board_source(module: str) -> str:
    """The source stub module a board's ``module`` is written from (itself or its alias)."""
    return ALIASES.get(module, module)


@cache
def board_tree(board: str, module: str) -> ast.Module:
    """The stub of ``module`` as it is on ``board`` (KeyError if the board hasn't it)."""
    _check_board(board)
    if module not in _board_module_set(board):
        raise KeyError(f"{module!r} is not a module on micro:bit {board.upper()}")
    tree = copy.deepcopy(_source_tree(_board_source(module)))
    tree.body = _filter_body(tree.body, board)
    if module in ALIASES:
        doc = ast.get_docstring(tree) or ""
        note = f"Another name for the ``{ALIASES[module]}`` module: {_first_line(doc)}"
        if module in V2_ONLY_ALIASES and not note.endswith(V2_MARK):
            note = f"{note.removesuffix('.')} {V2_MARK}"
        tree.body[0] = ast.Expr(ast.Constant(note))
    return tree


def _module_on(module: str, board: str) -> bool:
    if module in ALIASES:
        return board == "v2" or module not in V2_ONLY_ALIASES
    return _keep(ast.get_docstring(_source_tree(module)), board)


@cache
def _board_module_set(board: str) -> frozenset[str]:
    return frozenset(m for m in list(_source_files()) + list(ALIASES) if _module_on(m, board))


def board_modules(board: str) -> frozenset[str]:
    """Every module a program can import on ``board`` (``u`` aliases and ``builtins`` too)."""
    _check_board(board)
    return frozenset(m for m in _board_module_set(board) if "." not in m) | {"builtins"}


def module_names(board: str, module: str) -> frozenset[str]:
    """The public names of ``module`` on ``board`` (what ``from module import *`` gives)."""
    _check_board(board)
    if module == "builtins":
        return BUILTIN_NAMES[board]
    if module not in board_modules(board):
        raise KeyError(f"{module!r} is not a module on micro:bit {board.upper()}")
    return _public(board_tree(board, module).body)


def _public(body: list[ast.stmt]) -> frozenset[str]:
    return frozenset(e.name for e in entities(body) if not e.name.startswith("_"))


def _find(body: list[ast.stmt], name: str) -> Entity | None:
    return next((e for e in entities(body) if e.name == name), None)


def _class_members(tree: ast.Module, cls: ast.ClassDef, board: str) -> frozenset[str]:
    names = set(_public(cls.body))
    for base in cls.bases:  # the stubs' helper classes inherit within one module
        if isinstance(base, ast.Name):
            found = _find(tree.body, base.id)
            if found and isinstance(found.node, ast.ClassDef):
                names |= _class_members(tree, found.node, board)
    return frozenset(names)


def member_names(board: str, module: str, dotted: str) -> frozenset[str]:
    """The public members of a class, object or submodule in ``module`` on ``board``.

    ``dotted`` names it from the module: ``"Image"``, ``"display"``, ``"pin0"``,
    ``"audio.SoundEffect"``. KeyError if it doesn't exist on that board.
    """
    tree = board_tree(board, module)
    head, _, rest = dotted.partition(".")
    found = _find(tree.body, head)
    if found is None:
        raise KeyError(f"{module}.{head} is not on micro:bit {board.upper()}")
    if found.kind == "module":
        return member_names(board, head, rest) if rest else module_names(board, head)
    if isinstance(found.node, ast.ImportFrom) and found.node.module:
        target = found.node.module
        return member_names(board, target, ".".join(filter(None, [head, rest])))
    node = found.node
    if isinstance(node, ast.AnnAssign) and isinstance(node.annotation, ast.Name):
        typed = _find(tree.body, node.annotation.id)  # an object: its class's members
        node = typed.node if typed else node
    if not isinstance(node, ast.ClassDef):
        raise KeyError(f"{module}.{head} has no members in the stubs")
    if not rest:
        return _class_members(tree, node, board)
    inner = _find(node.body, rest)
    if inner is None or not isinstance(inner.node, ast.ClassDef):
        raise KeyError(f"{module}.{dotted} has no members in the stubs")
    return _class_members(tree, inner.node, board)


def v2_only(module: str, name: str | None = None) -> bool:
    """Whether ``module`` (or ``name`` in it, dotted for members) exists only on V2.

    A name in a V2-only module is V2-only; a V1-only name (``radio.RATE_250KBIT``) is not.
    KeyError for a module or name the stubs don't have on either board.
    """
    if module == "builtins":
        if name is None:
            return False
        if name in BUILTIN_NAMES["v2"]:
            return name not in BUILTIN_NAMES["v1"]
        if name in BUILTIN_NAMES["v1"]:
            return False
        raise KeyError(f"builtins.{name} is not on the micro:bit")
    if module in ALIASES:
        if module in V2_ONLY_ALIASES:
            return True
        module = ALIASES[module]
    if module not in _source_files():
        raise KeyError(f"{module!r} is not a micro:bit module")
    tree = _source_tree(module)
    if doc_marks(ast.get_docstring(tree)) == "v2":
        return True
    if name is None:
        return False
    body = tree.body
    parts = name.split(".")
    for depth, part in enumerate(parts):
        found = _find(body, part)
        if found is None:
            raise KeyError(f"{module}.{name} is not in the stubs")
        if doc_marks(found.doc) == "v2":
            return True
        if depth + 1 < len(parts):
            body = _member_body(tree, found, module, ".".join(parts[depth + 1:]))
            if body is None:  # a re-exported module: ask it
                return v2_only(part, ".".join(parts[depth + 1:]))
    return False


@cache
def v2_only_names() -> frozenset[str]:
    """Every name marked V2-only anywhere in the stubs (modules, members): a quick "no"
    before asking ``v2_only`` about a name."""
    names = {m for m in _source_files() if doc_marks(ast.get_docstring(_source_tree(m))) == "v2"}
    names |= V2_ONLY_ALIASES

    def walk(body: list[ast.stmt]) -> None:
        for entity in entities(body):
            if doc_marks(entity.doc) == "v2":
                names.add(entity.name)
            if isinstance(entity.node, ast.ClassDef):
                walk(entity.node.body)

    for module in _source_files():
        walk(_source_tree(module).body)
    return frozenset(names)


def _member_body(tree: ast.Module, found: Entity, module: str, rest: str) -> list[ast.stmt] | None:
    """The body holding an entity's members (its class's, with inherited ones flattened)."""
    if found.kind == "module":
        return None
    node = found.node
    if isinstance(node, ast.AnnAssign) and isinstance(node.annotation, ast.Name):
        typed = _find(tree.body, node.annotation.id)
        node = typed.node if typed else node
    if not isinstance(node, ast.ClassDef):
        raise KeyError(f"{module}.{found.name}.{rest} is not in the stubs")
    body = list(node.body)
    for base in node.bases:
        if isinstance(base, ast.Name):
            inherited = _find(tree.body, base.id)
            if inherited and isinstance(inherited.node, ast.ClassDef):
                body += _member_body(tree, inherited, module, rest) or []
    return body


# --- writing a board's folder ---------------------------------------------------------

@cache
def _source_hash() -> str:
    digest = hashlib.sha256(f"format {STUB_FORMAT}".encode())
    for module, path in sorted(_source_files().items()):
        digest.update(module.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def _module_path(folder: Path, module: str) -> Path:
    parts = module.split(".")
    source = _source_files().get(_board_source(module))
    if source is not None and source.name == "__init__.pyi":
        return folder.joinpath(*parts, "__init__.pyi")
    return folder.joinpath(*parts[:-1], parts[-1] + ".pyi")


def _write_folder(folder: Path, board: str) -> None:
    for module in sorted(_board_module_set(board)):
        text = ast.unparse(ast.fix_missing_locations(board_tree(board, module))) + "\n"
        paths = [_module_path(folder, module)]
        if "." not in module:
            # PEP 561 form too: jedi reads "m-stubs" before its own stdlib stubs, so
            # time, sys, math, gc… complete as on the micro:bit, not as in CPython
            paths.append(folder / f"{module}-stubs" / "__init__.pyi")
        for path in paths:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")


@cache
def stub_folder(board: str) -> Path:
    """A folder of .pyi files for ``board``, one per importable module (``u`` aliases too).

    Each module is there as ``m.pyi`` and again as ``m-stubs/__init__.pyi`` (see
    ``_write_folder``).

    Written once per version of the stubs to the cache folder (atomically: built beside it
    and renamed); if the cache can't be written, to a temporary folder for this process.
    """
    _check_board(board)
    final = cache_dir() / f"stubs-{board}-{_source_hash()}"
    if final.is_dir():
        return final
    try:
        final.parent.mkdir(parents=True, exist_ok=True)
        building = Path(tempfile.mkdtemp(prefix=f".stubs-{board}-", dir=final.parent))
    except OSError:  # no cache: a private folder does as well, only once per process
        building = Path(tempfile.mkdtemp(prefix=f"ubit-stubs-{board}-"))
        _write_folder(building, board)
        return building
    try:
        _write_folder(building, board)
        os.rename(building, final)
    except OSError:
        if not final.is_dir():  # not another process winning the race: use ours as is
            return building
        shutil.rmtree(building, ignore_errors=True)
    return final
