"""Uses of the micro:bit API checked against the board's stubs: names, attributes and calls.

Not a type checker: it follows names bound by imports of the board's modules
(``from microbit import *``, ``import music``, ``from microbit import display``) through
attribute chains (``microbit.display.scroll``, ``Image.HEART.shift_left``) and checks
that each attribute exists on the board, and that a call's arguments fit the stub's
signature (how many, which keywords). A name the program binds itself anywhere
(``display = 3``, a parameter, a loop variable) is left alone, so a finding is never a
guess. Both boards are always looked at, to say "exists only on micro:bit V2".

Values the program makes are followed only where their type is certain: a name bound
exactly once in the whole program (no other assignment, parameter, loop or import of that
name in any scope), by ``name = Class(...)`` of a stub class (``img = Image(...)``, then
``img.scrol``) or to a literal (``word = 'abc'``, then ``word.title()``, checked against
the board's ``str``, ``builtin_types``); and a constructor call or literal itself
(``Image('...').shift_left()``, ``'abc'.title()``). A built-in name one board lacks
(``memoryview`` on V1) is reported as such; one no board has is pyflakes' (``lint_names``).
"""

from __future__ import annotations

import ast
import difflib
from dataclasses import dataclass
from functools import cache

from ubit.check import builtin_types, lint_stubs, stubs
from ubit.check.astnodes import every_node
from ubit.check.findings import ERROR, WARNING, Finding
from ubit.check.lint_names import char_column

LABEL = {"v1": "V1", "v2": "V2"}
NEW = "()"  # a path step: an instance of the class named before it (``Image()``)
_BOARD_ONLY_BUILTINS = frozenset().union(*(stubs.BUILTIN_NAMES[b] for b in stubs.BOARDS)) - \
    frozenset.intersection(*(stubs.BUILTIN_NAMES[b] for b in stubs.BOARDS))


@dataclass(frozen=True)
class Ref:
    """A micro:bit thing a program names: a module, and a path of names inside it."""

    module: str
    path: tuple[str, ...] = ()

    def dotted(self) -> str:
        """``display.scroll`` (the module's own name when the path is empty)."""
        return (".".join(self.path) or self.module).replace("." + NEW, NEW)

    def child(self, name: str) -> Ref:
        """The ref of an attribute of this one."""
        return Ref(self.module, (*self.path, name))


@dataclass(frozen=True)
class Found:
    """What a ref is in one board's stubs: its statement and the body of its members."""

    node: ast.stmt | None  # None for a module
    members: list[ast.stmt] | None  # None when unknown (not a class, object or module)
    is_object: bool  # an instance (display, Image.HEART): its methods are bound


_INDEXES: dict[int, tuple[list[ast.stmt], dict[str, stubs.Entity]]] = {}


def _entity(body: list[ast.stmt], name: str) -> stubs.Entity | None:
    """The entity called ``name`` in a stub body (indexed once per body: bodies are cached)."""
    kept = _INDEXES.get(id(body))
    if kept is None or kept[0] is not body:
        index: dict[str, stubs.Entity] = {}
        for entity in stubs.entities(body):
            index.setdefault(entity.name, entity)
        kept = _INDEXES[id(body)] = (body, index)  # the body kept alive: its id stays its own
    return kept[1].get(name)


@cache
def lookup(board: str, ref: Ref) -> Found | None:
    """``ref`` in ``board``'s stubs, or None if it isn't there."""
    if ref.module == "builtins":  # a built-in name: there or not, nothing to see inside
        there = not ref.path or ref.path[0] in stubs.BUILTIN_NAMES[board]
        return Found(None, None, False) if there else None
    try:
        tree = lint_stubs.board_tree(board, ref.module)
    except KeyError:
        return None
    found = Found(None, tree.body, False)
    module_tree = tree
    for name in ref.path:
        if name == NEW:  # an instance of the class found so far
            if not isinstance(found.node, ast.ClassDef):
                return Found(None, None, False)
            found = Found(found.node, found.members, True)
            continue
        if found.members is None:
            return Found(None, None, False)  # below something we can't see into
        entity = _entity(found.members, name)
        if entity is None:
            return None
        found, module_tree = _resolve(board, entity, module_tree)
        if found is None:
            return None
    return found


def _resolve(board: str, entity: stubs.Entity, tree: ast.Module,
             ) -> tuple[Found | None, ast.Module]:
    node = entity.node
    if entity.kind == "module":
        try:
            inner = lint_stubs.board_tree(board, entity.name)
        except KeyError:
            return None, tree
        return Found(None, inner.body, False), inner
    if isinstance(node, ast.ImportFrom) and node.module:  # "from m import x as x"
        found = lookup(board, Ref(node.module, (entity.name,)))
        return found, tree
    if isinstance(node, ast.ClassDef):
        return Found(node, _class_body(tree, node), False), tree
    if isinstance(node, ast.AnnAssign) and isinstance(node.annotation, ast.Name):
        cls = _entity(tree.body, node.annotation.id)
        if cls is not None and isinstance(cls.node, ast.ClassDef):
            return Found(node, _class_body(tree, cls.node), True), tree
    return Found(node, None, False), tree


def _class_body(tree: ast.Module, cls: ast.ClassDef) -> list[ast.stmt]:
    """A class's statements, its bases' (within the module) after them."""
    body = list(cls.body)
    for base in cls.bases:
        if isinstance(base, ast.Name):
            parent = _entity(tree.body, base.id)
            if parent is not None and isinstance(parent.node, ast.ClassDef):
                body += _class_body(tree, parent.node)
    return body


# --- which names of the program are micro:bit things ----------------------------------

def imported_refs(tree: ast.Module, modules: frozenset[str]) -> dict[str, Ref]:
    """Names the program binds to micro:bit things by importing, and never rebinds."""
    refs: dict[str, Ref] = {}
    for node in every_node(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name in modules:
                    refs[alias.asname or alias.name] = Ref(alias.name)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module in modules:
            for alias in node.names:
                if alias.name == "*":
                    for board in stubs.BOARDS:
                        try:
                            names = lint_stubs.module_names(board, node.module)
                        except KeyError:
                            continue
                        refs.update((n, Ref(node.module, (n,))) for n in names)
                else:
                    refs[alias.asname or alias.name] = Ref(node.module, (alias.name,))
    for name in rebound_names(tree):
        refs.pop(name, None)
    return refs


def rebound_names(tree: ast.Module) -> set[str]:
    """Every name the program binds other than by import, in any scope."""
    names: set[str] = set()
    for node in every_node(tree):
        if isinstance(node, ast.Name) and isinstance(node.ctx, (ast.Store, ast.Del)):
            names.add(node.id)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, ast.arg):
            names.add(node.arg)
        elif isinstance(node, (ast.Global, ast.Nonlocal)):
            names.update(node.names)
        elif isinstance(node, ast.ExceptHandler) and node.name:
            names.add(node.name)
    return names


def guarded_nodes(tree: ast.Module) -> set[int]:
    """ids of the nodes inside a ``try`` that catches a missing name (AttributeError,
    NameError, ImportError, Exception or a bare except): "on a V1 there is none" code."""
    kept = tree.__dict__.get("_guarded")
    if kept is not None:  # the board and API checks both ask
        return kept
    catching = {"AttributeError", "NameError", "ImportError", "Exception", "BaseException"}
    guarded: set[int] = set()
    tree._guarded = guarded  # type: ignore[attr-defined]
    for node in every_node(tree):
        if not isinstance(node, ast.Try):
            continue
        caught = set()
        for handler in node.handlers:
            kinds = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
            caught |= {k.id if isinstance(k, ast.Name) else "" if k else "Exception"
                       for k in kinds}
        if caught & catching:
            guarded.update(id(inner) for stmt in node.body for inner in ast.walk(stmt))
    return guarded


# --- the checks ---------------------------------------------------------------------------

@dataclass
class Context:
    """One file's check: its name, lines, boards and findings so far."""

    file: str
    lines: list[str]
    boards: tuple[str, ...]
    findings: list[Finding]
    reported: set[tuple[str, str]]  # (dotted name, problem) already reported in this file
    guarded: set[int]  # ids of nodes where a name missing on a board is caught
    in_guard: bool = False  # the node being checked is one of them

    def add(self, line: int, byte_col: int, level: str, code: str, message: str,
            board: str) -> None:
        """Record a finding (columns from the AST are UTF-8 byte offsets)."""
        col = char_column(self.lines, line, byte_col) + 1
        self.findings.append(Finding(self.file, line, col, level, code, message, board))


def api_findings(name: str, tree: ast.Module, source: str, boards: tuple[str, ...],
                 modules: frozenset[str]) -> list[Finding]:
    """The API findings for one file checked for ``boards``."""
    refs = imported_refs(tree, modules)
    bound, once = bindings(tree)
    refs.update((n, Ref("builtins", (n,))) for n in _BOARD_ONLY_BUILTINS
                if n not in refs and n not in bound)
    literals: dict[str, str] = {}
    for target, value in once.items():
        made = _made(value, refs)
        if isinstance(made, Ref):
            refs[target] = made
        elif made is not None:
            literals[target] = made
    ctx = Context(name, source.splitlines(), boards, [], set(), guarded_nodes(tree))
    for node in every_node(tree):
        ctx.in_guard = id(node) in ctx.guarded
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module in modules:
            for alias in node.names:
                if alias.name != "*":
                    _check_exists(ctx, Ref(node.module, (alias.name,)), node.lineno,
                                  node.col_offset, "import")
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load) and node.id in refs:
            _check_exists(ctx, refs[node.id], node.lineno, node.col_offset, "name")
        elif isinstance(node, ast.Attribute):
            base = resolve(node.value, refs)
            kind = _literal_type(node.value, literals)
            if kind is not None and not node.attr.startswith("_"):
                _check_type_member(ctx, kind, node)
            elif base is not None and not node.attr.startswith("__"):
                col = node.end_col_offset - len(node.attr) if node.end_col_offset else 0
                _check_exists(ctx, base.child(node.attr), node.end_lineno or node.lineno,
                              col, "attribute")
        elif isinstance(node, ast.Call):
            ref = resolve(node.func, refs)
            if ref is not None:
                _check_call(ctx, ref, node)
    return ctx.findings


def resolve(node: ast.expr, refs: dict[str, Ref]) -> Ref | None:
    """The micro:bit thing an expression names (``display``, ``microbit.display.scroll``,
    ``Image('...')``: an Image)."""
    if isinstance(node, ast.Name):
        return refs.get(node.id)
    if isinstance(node, ast.Attribute):
        base = resolve(node.value, refs)
        return base.child(node.attr) if base is not None else None
    if isinstance(node, ast.Call):
        made = _made(node, refs)
        return made if isinstance(made, Ref) else None
    return None


# --- values the program makes -------------------------------------------------------------

_LITERALS = {ast.List: "list", ast.ListComp: "list", ast.Dict: "dict", ast.DictComp: "dict",
             ast.Set: "set", ast.SetComp: "set", ast.Tuple: "tuple"}
_CONSTANTS = {str: "str", bytes: "bytes", int: "int", float: "float"}  # (bool is an int's)


def _made(value: ast.expr, refs: dict[str, Ref]) -> Ref | str | None:
    """What an expression surely makes: an instance of a stub class (as a Ref ending in
    ``()``), a built-in type's name (``"str"``) for a literal, or None if not sure."""
    if isinstance(value, ast.Constant):
        return _CONSTANTS.get(type(value.value))
    if type(value) in _LITERALS:
        return _LITERALS[type(value)]
    if not isinstance(value, ast.Call):
        return None
    cls = resolve(value.func, refs)
    if cls is None or not cls.path or cls.path[-1] == NEW:
        return None
    found = [f for f in _on_boards(cls).values() if f is not None]
    if found and all(isinstance(f.node, ast.ClassDef) and not f.is_object for f in found):
        return cls.child(NEW)
    return None


def _literal_type(node: ast.expr, literals: dict[str, str]) -> str | None:
    """The built-in type of a literal, or of a name bound once to one, or None."""
    if isinstance(node, ast.Name):
        return literals.get(node.id)
    if isinstance(node, ast.Constant):
        return _CONSTANTS.get(type(node.value))
    return _LITERALS.get(type(node))


def bindings(tree: ast.Module) -> tuple[set[str], dict[str, ast.expr]]:
    """Every name the program binds (any scope, any way), and those bound exactly once, by
    ``name = value``: name → value."""
    counts: dict[str, int] = {}
    single: dict[str, ast.expr] = {}
    for node in every_node(tree):
        names: list[str] = []
        if isinstance(node, ast.Name) and isinstance(node.ctx, (ast.Store, ast.Del)):
            names = [node.id]
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names = [node.name]
        elif isinstance(node, ast.arg):
            names = [node.arg]
        elif isinstance(node, (ast.Global, ast.Nonlocal)):
            names = list(node.names)
        elif isinstance(node, ast.ExceptHandler) and node.name:
            names = [node.name]
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names = [(a.asname or a.name).split(".")[0] for a in node.names]
        elif isinstance(node, (ast.MatchAs, ast.MatchStar)) and node.name:
            names = [node.name]
        elif isinstance(node, ast.MatchMapping) and node.rest:
            names = [node.rest]
        for bound in names:
            counts[bound] = counts.get(bound, 0) + 1
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and \
                isinstance(node.targets[0], ast.Name):
            single[node.targets[0].id] = node.value
    return set(counts), {n: v for n, v in single.items() if counts.get(n) == 1}


def _check_type_member(ctx: Context, kind: str, node: ast.Attribute) -> None:
    """A method of a built-in type's value (``'abc'.title``) the board's type lacks."""
    has = builtin_types.on_some_board(kind, node.attr)
    missing = [b for b in ctx.boards if b not in has]
    if not missing:
        return
    line = node.end_lineno or node.lineno
    col = node.end_col_offset - len(node.attr) if node.end_col_offset else 0
    if not has:
        known = sorted(builtin_types.TYPE_MEMBERS["v2"][kind])
        guess = difflib.get_close_matches(node.attr, known, 1)
        hint = f"; did you mean '{guess[0]}'?" if guess else ""
        ctx.add(line, col, ERROR, "unknown-attribute",
                f"{_a(kind)} on the micro:bit has no '{node.attr}'{hint}", "both")
        return
    key = (f"{kind}.{node.attr}", "board")
    if ctx.in_guard or key in ctx.reported:
        return
    ctx.reported.add(key)
    level = ERROR if len(missing) == len(ctx.boards) else WARNING
    ctx.add(line, col, level, "board-only",
            f"{_a(kind)}'s '{node.attr}' exists only on micro:bit {LABEL[has[0]]}", missing[0])


def _a(noun: str) -> str:
    """``an Image``, ``a str``."""
    return f"{'an' if noun[:1].lower() in 'aeiou' else 'a'} {noun}"


def _on_boards(ref: Ref) -> dict[str, Found | None]:
    return {board: lookup(board, ref) for board in stubs.BOARDS}


def _check_exists(ctx: Context, ref: Ref, line: int, col: int, how: str) -> None:
    found = _on_boards(ref)
    if any(f is not None for f in found.values()):
        _board_only(ctx, ref, found, line, col)
        return
    if not ref.path or how == "name":
        return  # a module import (see unknown modules), or a name reported at its import
    parent = Ref(ref.module, ref.path[:-1])
    parents = [f for f in _on_boards(parent).values() if f is not None]
    if not parents or all(f.members is None for f in parents):
        return  # the parent is the problem (reported there), or we can't see inside it
    guess = difflib.get_close_matches(ref.path[-1], _member_names(parent), 1)
    hint = f"; did you mean '{guess[0]}'?" if guess else ""
    owner = _a(parent.path[-2]) if parent.path[-1:] == (NEW,) else f"'{parent.dotted()}'"
    ctx.add(line, col, ERROR, "unknown-attribute",
            f"{owner} has no '{ref.path[-1]}'{hint}", "both")


def _member_names(ref: Ref) -> list[str]:
    names: set[str] = set()
    for board in stubs.BOARDS:
        found = lookup(board, ref)
        if found is not None and found.members is not None:
            names.update(e.name for e in stubs.entities(found.members)
                         if not e.name.startswith("_"))
    return sorted(names)


def _board_only(ctx: Context, ref: Ref, found: dict[str, Found | None], line: int,
                col: int) -> None:
    """Report a name that exists on one board only, once per file, if that matters here."""
    missing = [b for b in ctx.boards if found[b] is None]
    if not missing or ctx.in_guard:
        return  # (in a try that catches the error a board without it raises)
    if ref.path and all(lookup(b, Ref(ref.module, ref.path[:-1])) is None for b in missing):
        return  # its parent (microphone of microphone.sound_level) is reported
    has = [b for b in stubs.BOARDS if found[b] is not None]
    key = (f"{ref.module}.{ref.dotted()}", "board")
    if key in ctx.reported:
        return
    ctx.reported.add(key)
    shown = f"'{ref.dotted() if ref.path else ref.module}'"
    if ref.path[-2:-1] == (NEW,):  # a method of a value the program made
        shown = f"{_a(ref.path[-3])}'s '{ref.path[-1]}'"
    other = LABEL[has[0]]
    lost = ", ".join(LABEL[b] for b in missing)
    if len(missing) == len(ctx.boards):
        ctx.add(line, col, ERROR, "board-only",
                f"{shown} exists only on micro:bit {other}, not on the {lost}", missing[0])
    else:
        ctx.add(line, col, WARNING, "board-only",
                f"{shown} exists only on micro:bit {other}: on a {lost} this program stops "
                "with an error here", missing[0])


def _check_call(ctx: Context, ref: Ref, call: ast.Call) -> None:
    problems: dict[str, tuple[str, int, int] | None] = {}
    for board in ctx.boards:
        found = lookup(board, ref)
        if found is None or found.node is None:
            return  # not on this board (reported as a name) or a module
        problems[board] = call_problem(board, ref, found, call)
    bad = {b: p for b, p in problems.items() if p is not None}
    if not bad:
        return
    if len(bad) == len(ctx.boards) and len({p[0] for p in bad.values()}) == 1:
        message, line, col = next(iter(bad.values()))
        ctx.add(line, col, ERROR, "call", message, "both" if len(bad) > 1 else ctx.boards[0])
        return
    for board, (message, line, col) in bad.items():
        ctx.add(line, col, WARNING, "call", f"{message} on micro:bit {LABEL[board]}", board)


def call_problem(board: str, ref: Ref, found: Found, call: ast.Call,
                 ) -> tuple[str, int, int] | None:
    """What's wrong with ``call`` of ``ref`` on ``board`` (message, line, col), or None."""
    node = found.node
    if found.is_object and isinstance(node, ast.ClassDef):
        return None  # an instance being called (``img()``): not judged here
    if isinstance(node, ast.ClassDef):
        signatures = _overloads(found.members or [], "__init__")
        bound = True
    elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
        owner = lookup(board, Ref(ref.module, ref.path[:-1]))
        members = owner.members if owner is not None else None
        signatures = _overloads(members or [node], node.name)
        in_class = owner is not None and owner.node is not None
        if in_class and not owner.is_object and not _static(node):
            return None  # a method taken from its class: Image.width(img) — not checked
        bound = in_class and not _static(node)
    else:
        return None  # an object or constant being called: not judged here
    if not signatures:
        return None
    problems = [_bind(sig, call, bound, ref.dotted()) for sig in signatures]
    if any(p is None for p in problems):
        return None
    return problems[0]


def _static(func: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    return any(isinstance(d, ast.Name) and d.id == "staticmethod" for d in func.decorator_list)


def _overloads(body: list[ast.stmt], name: str) -> list[ast.FunctionDef | ast.AsyncFunctionDef]:
    """Every definition of ``name`` in ``body`` (several with @overload), properties left out."""
    found = []
    for stmt in body:
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)) and stmt.name == name:
            if any(isinstance(d, ast.Name) and d.id == "property" for d in stmt.decorator_list):
                return []
            found.append(stmt)
    return found  # a subclass's and its base's definitions both count: lenient


def _bind(func: ast.FunctionDef | ast.AsyncFunctionDef, call: ast.Call, bound: bool,
          shown: str) -> tuple[str, int, int] | None:
    """Why ``call``'s arguments don't fit ``func``'s parameters, or None if they do."""
    args = func.args
    positional = [a.arg for a in args.posonlyargs + args.args]
    posonly = {a.arg for a in args.posonlyargs}
    if bound and positional:
        positional = positional[1:]
        posonly.discard(func.args.posonlyargs[0].arg if func.args.posonlyargs else "")
    required = positional[:len(positional) - len(args.defaults)]
    kwonly = [a.arg for a in args.kwonlyargs]
    kw_required = [a.arg for a, d in zip(args.kwonlyargs, args.kw_defaults, strict=True)
                   if d is None]
    where = (call.lineno, call.col_offset)
    starred = any(isinstance(a, ast.Starred) for a in call.args)
    double = any(k.arg is None for k in call.keywords)
    given = len(call.args)
    if not starred and given > len(positional) and args.vararg is None:
        return (f"{shown}() {_takes(len(required), len(positional))} but {given} "
                f"{'was' if given == 1 else 'were'} given", *where)
    for kw in call.keywords:
        if kw.arg is None:
            continue
        at = (kw.lineno, kw.col_offset)
        allowed = [p for p in positional if p not in posonly] + kwonly
        if kw.arg not in allowed:
            if args.kwarg is not None:
                continue
            guess = difflib.get_close_matches(kw.arg, allowed, 1)
            hint = f"; did you mean '{guess[0]}='?" if guess else ""
            if kw.arg in posonly:
                return (f"{shown}() takes '{kw.arg}' by position only: leave out "
                        f"'{kw.arg}='", *at)
            return f"{shown}() has no argument called '{kw.arg}'{hint}", *at
        if not starred and kw.arg in positional[:given]:
            return f"{shown}() was given '{kw.arg}' twice (by position and by name)", *at
    if starred or double:
        return None
    named = {k.arg for k in call.keywords}
    for index, param in enumerate(required):
        if index >= given and param not in named:
            return (f"{shown}() needs a value for '{param}' "
                    f"({_takes(len(required), len(positional))})", *where)
    for param in kw_required:
        if param not in named:
            return f"{shown}() needs '{param}=' to be given", *where
    return None


def _takes(low: int, high: int) -> str:
    if low == high:
        return f"takes {low} argument{'' if low == 1 else 's'}"
    return f"takes {low} to {high} arguments"
