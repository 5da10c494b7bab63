"""The editor's API reference: an entry for every public name of the micro:bit's modules.

Built from the stubs (``ubit.check.stubs``, the one description of the API) for one board:
each entry has its module, dotted name, kind, signature, doc, whether it is V2 only, and a
runnable example. Examples are generated from the signature where simple values by type do
(``display.scroll('hello')``), else taken from ``reference_examples.toml`` (hand-written,
shipped with the package). tests/editor/test_reference.py runs every example on the virtual
board.

Objects of a stub's private class (``display: _MicroBitDisplay``) are listed with their
methods under the object's name; members a class shares with an earlier object (``pin1``
after ``pin0``) are listed once, under the first.
"""

from __future__ import annotations

import ast
import copy
import re
import tomllib
from dataclasses import asdict, dataclass, replace
from functools import cache
from pathlib import Path

from ubit.check import stubs

EXAMPLES = Path(__file__).with_name("reference_examples.toml")
# modules shown: the firmware's u-aliases repeat their module, builtins is Python's own
SKIPPED = frozenset(stubs.ALIASES) | {"builtins"}
_SIMPLE = {  # a value to pass for a parameter of this (first) type
    "int": "1", "float": "0.5", "str": "'hello'", "bool": "True", "bytes": "b'hello'",
    "bytearray": "bytearray(4)", "Image": "Image.HEART", "_MicroBitDigitalPin": "pin0",
    "SoundEvent": "SoundEvent.LOUD", "tuple[int, ...]": "(255, 0, 0)",
    "tuple[int, int, int]": "(255, 0, 0)",
}
_BY_NAME = {("x", "int"): "2", ("y", "int"): "2", ("delay", "int"): "100"}  # on the display


@dataclass(frozen=True)
class Entry:
    """One name of the API as the reference panel shows it."""

    module: str  # "microbit"
    name: str  # dotted from the module: "display.scroll"
    kind: str  # function, method, class, object, constant
    signature: str  # "scroll(text, delay=150, *, wait=True, loop=False, monospace=False)"
    doc: str
    v2_only: bool
    example: str  # a whole program that runs on the board


@dataclass(frozen=True)
class Module:
    """A module of the reference: its name, doc and whether it is V2 only."""

    name: str
    doc: str
    v2_only: bool


@cache
def _table() -> tuple[dict[str, str], dict[str, tuple[str, str]]]:
    """The hand-written examples and the instances for classes' methods."""
    data = tomllib.loads(EXAMPLES.read_text(encoding="utf-8"))
    examples = {k: v.strip() + "\n" for k, v in data.get("examples", {}).items()}
    instances = {k: (v["setup"].strip(), v["name"]) for k, v in data.get("instances", {}).items()}
    return examples, instances


def modules(board: str) -> list[Module]:
    """The modules of the reference on ``board``: microbit first, the rest by name."""
    names = sorted(stubs.board_modules(board) - SKIPPED, key=lambda m: (m != "microbit", m))
    return [Module(m, ast.get_docstring(stubs.board_tree(board, m)) or "", stubs.v2_only(m))
            for m in names]


@cache
def entries(board: str) -> tuple[Entry, ...]:
    """Every entry of the reference on ``board``, module by module."""
    found: list[Entry] = []
    for module in modules(board):
        found += _module_entries(board, module.name)
    return tuple(found)


def _module_entries(board: str, module: str) -> list[Entry]:
    tree = stubs.board_tree(board, module)
    classes = {e.name: e.node for e in stubs.entities(tree.body)
               if isinstance(e.node, ast.ClassDef)}
    out: list[Entry] = []
    seen_members: set[tuple[str, str]] = set()  # (defining class, member)
    done: set[str] = set()
    for entity in stubs.entities(tree.body):
        if entity.name.startswith("_") or entity.kind == "module" or entity.name in done:
            continue
        done.add(entity.name)  # overloads: the first one
        node = entity.node
        if isinstance(node, ast.FunctionDef):
            out.append(_entry(board, module, entity.name, "function", _signature(node),
                              entity.doc, node))
        elif isinstance(node, ast.ClassDef):
            init = _method(node, "__init__")
            sig = _signature(init, entity.name) if init else f"{entity.name}()"
            out.append(_entry(board, module, entity.name, "class", sig, entity.doc, init,
                              cls=entity.name))
            out += _members(board, module, classes, node, entity.name, seen_members,
                            instance=True)
        elif isinstance(node, ast.AnnAssign) and isinstance(node.annotation, ast.Name) \
                and node.annotation.id in classes and node.annotation.id.startswith("_"):
            obj = _entry(board, module, entity.name, "object", entity.name, entity.doc, None)
            members = _members(board, module, classes, classes[node.annotation.id],
                               entity.name, seen_members, instance=False)
            methods = [m for m in members if m.kind == "method"]
            if f"{module}.{entity.name}" not in _table()[0] and methods:
                obj = replace(obj, example=methods[0].example)  # display: display.show(…)
            out += [obj, *members]
        elif entity.kind == "variable":
            out.append(_entry(board, module, entity.name, "constant", entity.name, entity.doc,
                              None, annotation=_annotation(node)))
    return out


def _members(board: str, module: str, classes: dict[str, ast.ClassDef], cls: ast.ClassDef,
             owner: str, seen: set[tuple[str, str]], instance: bool) -> list[Entry]:
    """The public members of ``cls`` (and its bases in the module), named ``owner.member``."""
    out = []
    names: set[str] = set()
    for klass in _mro(classes, cls):
        for entity in stubs.entities(klass.body):
            if entity.name.startswith("_") or entity.name in names:
                continue
            names.add(entity.name)
            if (klass.name, entity.name) in seen:
                continue
            seen.add((klass.name, entity.name))
            dotted = f"{owner}.{entity.name}"
            node = entity.node
            if isinstance(node, ast.FunctionDef):
                out.append(_entry(board, module, dotted, "method", _signature(node),
                                  entity.doc, node, cls=owner if instance else None))
            else:  # an UPPER_CASE name is the class's; any other, each instance's own
                on = owner if instance and not entity.name.isupper() else None
                out.append(_entry(board, module, dotted, "constant", dotted, entity.doc, None,
                                  cls=on, annotation=_annotation(node)))
    return out


def _mro(classes: dict[str, ast.ClassDef], cls: ast.ClassDef) -> list[ast.ClassDef]:
    order = [cls]
    for base in cls.bases:
        if isinstance(base, ast.Name) and base.id in classes:
            order += _mro(classes, classes[base.id])
    return order


def _method(cls: ast.ClassDef, name: str) -> ast.FunctionDef | None:
    return next((s for s in cls.body if isinstance(s, ast.FunctionDef) and s.name == name),
                None)


def _annotation(node: ast.stmt) -> str:
    return ast.unparse(node.annotation) if isinstance(node, ast.AnnAssign) else ""


def _own_args(func: ast.FunctionDef) -> ast.arguments:
    """``func``'s parameters without ``self`` (the stubs' methods all take it first)."""
    args = copy.deepcopy(func.args)
    first = (args.posonlyargs + args.args)[:1]
    if first and first[0].arg in ("self", "cls"):
        if args.posonlyargs:
            args.posonlyargs = args.posonlyargs[1:]
        else:
            args.args = args.args[1:]
    return args


def _signature(func: ast.FunctionDef, name: str | None = None) -> str:
    """``name(a, b=1, *, c=True)``: as a beginner calls it (types are in the doc)."""
    args = _own_args(func)
    for arg in args.posonlyargs + args.args + args.kwonlyargs:
        arg.annotation = None
    for arg in (args.vararg, args.kwarg):
        if arg is not None:
            arg.annotation = None
    return f"{name or func.name}({ast.unparse(args)})"


def _entry(board: str, module: str, name: str, kind: str, signature: str, doc: str | None,
           func: ast.FunctionDef | None, cls: str | None = None, annotation: str = "") -> Entry:
    try:
        v2 = stubs.v2_only(module, name)
    except KeyError:  # a member the stubs' lookup doesn't reach: the module decides
        v2 = stubs.v2_only(module)
    text = (doc or "").strip()
    if board == "v1":  # the V1 stub keeps the doc of parameters it dropped: say so plainly
        text = text.replace(stubs.V2_MARK, "").strip()
    example = _example(module, name, kind, func, cls, annotation)
    return Entry(module, name, kind, signature, text, v2, example)


def _example(module: str, name: str, kind: str, func: ast.FunctionDef | None, cls: str | None,
             annotation: str) -> str:
    """The hand-written example of ``module.name``, or one made from its signature ("" if
    neither: tests/editor/test_reference.py says which names need one in the table)."""
    hand, instances = _table()
    full = f"{module}.{name}"
    if full in hand:
        return hand[full]
    prefix = "" if module == "microbit" else f"{module}."
    setup = ""
    if kind == "class":
        call = _call(f"{prefix}{name}", func)
        if call is None:
            return ""
        variable = re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()
        body = f"{variable} = {call}\nprint({variable})\n"
    elif kind in ("function", "method"):
        target = f"{prefix}{name}"
        if cls is not None:  # a class's method: on an instance of it
            owner = f"{module}.{cls}"
            if owner not in instances:
                return ""
            setup, variable = instances[owner]
            setup += "\n"
            target = f"{variable}.{name.split('.', 1)[1]}"
        call = _call(target, func)
        if call is None:
            return ""
        returns = func.returns if func is not None else None
        gives = not (isinstance(returns, ast.Constant) and returns.value is None)
        body = f"print({call})\n" if gives else f"{call}\n"
    elif kind == "object":
        body = f"print({prefix}{name})\n"
    else:
        value = f"{prefix}{name}"
        if cls is not None:  # an instance's attribute
            owner = f"{module}.{cls}"
            if owner not in instances:
                return ""
            setup, variable = instances[owner]
            setup += "\n"
            value = f"{variable}.{name.split('.', 1)[1]}"
        body = f"display.show({value})\n" if annotation == "Image" else f"print({value})\n"
    return _imports(module, setup + body) + setup + body


def _imports(module: str, body: str) -> str:
    """The import lines ``body`` needs: ``from microbit import *`` if it uses the board."""
    lines = []
    used = set(re.findall(r"\b[A-Za-z_]\w*\b", body)) - {module}
    if module == "microbit" or used & stubs.module_names("v2", "microbit"):
        lines.append("from microbit import *")
    if module != "microbit":
        lines.append(f"import {module}")
    return "\n".join(lines) + "\n"


def _call(target: str, func: ast.FunctionDef | None) -> str | None:
    """``target(...)`` with a simple value for each parameter that has no default."""
    if func is None:
        return f"{target}()"
    args = _own_args(func)
    positional = args.posonlyargs + args.args
    required = positional[:len(positional) - len(args.defaults)]
    values = []
    for arg in required:
        value = _BY_NAME.get((arg.arg, _first_type(arg.annotation))) or _value(arg.annotation)
        if value is None:
            return None
        values.append(value)
    for arg, default in zip(args.kwonlyargs, args.kw_defaults, strict=True):
        if default is None:
            value = _value(arg.annotation)
            if value is None:
                return None
            values.append(f"{arg.arg}={value}")
    return f"{target}({', '.join(values)})"


def _first_type(annotation: ast.expr | None) -> str:
    """The first type of an annotation (``str`` of ``str | float``)."""
    return "" if annotation is None else ast.unparse(annotation).split(" | ")[0]


def _value(annotation: ast.expr | None) -> str | None:
    """A simple value of the annotation's first type, or None if there is none."""
    return _SIMPLE.get(_first_type(annotation))


def reference(board: str) -> dict[str, object]:
    """The reference as the page gets it: the board, its modules and entries."""
    return {"board": board, "modules": [asdict(m) for m in modules(board)],
            "entries": [asdict(e) for e in entries(board)]}
