"""Board time for computation: charges compiled into user code (issue 18).

The firmware's interpreter needs tens of microseconds per line on the V1, so a program's
own work takes board time: a counting loop, a program timing itself, a game without
``sleep``. ``apply`` puts a charge at the top of each loop body (one iteration's work),
each function body (the call and its straight-line code) and the module, and a charge
per item for comprehensions (``charge_each``, from the iterable's length). Each charge is
``charger[ns]`` where the meter is C's (``ubit.sim.board._costnative``: three instructions
and a C call, no new int), else ``meter[0] = meter[0] + ns`` (eight instructions, no
call). The board's clock reads the meter when the program calls into the board
(``ubit.sim.board.cost``). With the C meter, a ``for`` loop over a plain name (outside a
class body) is charged by its iterator instead, ``for x in charger.steps(it, ns)``: the
same charge for each item the body gets, made as the item is given (its target's store
can't fail), with no instruction in the body; the stack model folds a function's entry
charge into its check the same way (``charge_of``, ``gate``).

What one construct costs is estimated from the tree, not measured at run time, so the same
program takes the same board time on any computer. Costs are V1 nanoseconds, fitted to the
official V1 firmware under QEMU (``qemu-system-arm -M microbit -icount shift=6``: one
instruction per 64 ns, the nRF51's 16 MHz): a fast local, a constant or a jump 2.5 µs, a
global name read in a function 22 µs, a module-level name 37 µs (42 µs to store), an
attribute 20 µs, ``+``/``<`` 4 µs, ``*`` 8 µs, ``/``/``%`` 12 µs (the Cortex-M0 has no
divide instruction), a ``for`` step 18 µs, a call 12 µs at the call site and 35 µs for
the frame of a Python function, 20 µs for the board's own work in an API call.

The V2 (nRF52833, 64 MHz Cortex-M4F) has no emulator to measure: its costs are the V1's
scaled by its clock (16 / 64) and by the cores' work per cycle (Arm's Dhrystone figures,
0.9 DMIPS/MHz for the M0 against 1.25 for the M4: 0.9 / 1.25), 0.18 of the V1's, so
the V2 runs the same loop about 5.6 times as fast.

Not charged: lambdas' bodies (an expression: no statement to hold a charge), and the
work inside built-in functions beyond the call (``sorted`` of a long list costs a call).
"""

from __future__ import annotations

import ast
from collections.abc import Iterable

from ubit.sim.board import cost
from ubit.sim.micropython import astwalk, codebinding
from ubit.sim.micropython.mpsemantics import REWRITTEN
from ubit.sim.shared.boards import BoardSpec
from ubit.sim.shared.typenames import Any

# Board speed against the V1 (see the module doc for the V2's derivation): its clock, and
# work per cycle, Dhrystone MIPS per MHz of the V1's Cortex-M0 and of the faster Cortex-M4.
V1_HZ = 16_000_000
M0_PER_CYCLE, M4_PER_CYCLE = 0.9, 1.25

# V1 costs in nanoseconds.
FAST = 2_500  # a local or constant load, a store to a local, a jump, a pop
GLOBAL = 22_000  # a global or builtin name read in a function (a dictionary lookup)
GLOBAL_STORE = 25_000
# Module-level names: the module's dictionary, which ``from microbit import *`` fills
# (the firmware's time for these varies with the dictionary's layout, 5-50 µs: fitted to
# the loop, ``while running_time() < 2000: n += 1``).
MODULE = 37_000
MODULE_STORE = 42_000
ATTRIBUTE = 20_000
ARITH = 4_000  # + - & | ^ << >> and comparisons
MULTIPLY = 8_000
DIVIDE = 12_000  # / // % ** (software division on the Cortex-M0)
FLOAT = 2.5  # an operation with a float literal: software floating point, a new object
SUBSCRIPT = 8_000
CALL = 12_000  # at the call site; the callee's frame is charged at its entry
KEYWORD = 5_000
FRAME = 35_000  # entering and leaving a Python function
API = 20_000  # the board's own work in a call into it (charged by the clock's poll)
FOR_STEP = 18_000  # FOR_ITER and the jump back
ALLOCATE = 10_000  # a new list, tuple, dict or set
ITEM = 2_500  # each item of a display
IMPORT = 200_000
CLASS = 100_000
WITH = 30_000
RAISE = 50_000

_DIVISIONS = (ast.Div, ast.FloorDiv, ast.Mod, ast.Pow)
_COMPREHENSIONS = (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)
_LOOPS = (ast.For, ast.AsyncFor, ast.While)
_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)
# Stand-ins while compiling; the code object gets the objects themselves (``objects``).
# (the meter a frozenset: CPython folds a constant string's subscript, ``"ab"[0]``)
_METER = frozenset({"\x00ubit-meter\x00"})
_CHARGER = frozenset({"\x00ubit-charger\x00"})
_EACH = "\x00ubit-each\x00"
_STEPS = "\x00ubit-steps\x00"  # the C charger's ``steps``: a for loop's charging iterator
# Types whose len() is the number of items a comprehension over them takes (no user code;
# the C meter's ``each`` in _costnative.c names the same exact types).
_SIZED = (list, tuple, range, str, bytes, bytearray, dict, set, frozenset)


def enabled(spec: BoardSpec) -> bool:
    """Whether programs for ``spec`` are compiled with charges."""
    return cost.enabled() and spec.machine_freq > 0


def speed(spec: BoardSpec) -> float:
    """How long the board takes for a piece of work, against the V1."""
    core = M0_PER_CYCLE / M4_PER_CYCLE if spec.machine_freq > V1_HZ else 1.0
    return V1_HZ / spec.machine_freq * core


def apply(tree: ast.AST, spec: BoardSpec) -> None:
    """Put charges into ``tree`` (in place): loop bodies, function bodies, the module."""
    scale = speed(spec)
    body = getattr(tree, "body", None)
    if isinstance(body, list):  # the charges' form follows the meter objects() will bind
        _Pass(scale, type(cost.current) is not list).block(body, None, 0)
    elif isinstance(body, ast.AST):  # eval(): an expression has only comprehensions to charge
        _Estimate(scale, None).expr(body)


def objects(spec: BoardSpec) -> dict[str, Any]:
    """What compiled code's markers stand for: the current clock's meter, its charger
    and the comprehension helper (bound by ``codebinding.bind_objects``)."""
    meter = cost.current
    meter[cost.POLL] = round(API * speed(spec))

    def each(iterable: Any, ns: int) -> Any:
        """A comprehension's iterable, its items' cost charged up front."""
        if type(iterable) in _SIZED:
            meter[cost.SPENT] += ns * len(iterable)
        return iterable

    charger = cost.charger(meter)
    if charger is None:
        return {_METER: meter, _CHARGER: charger, _EACH: each}
    # the C meter's: ``each`` as above in one C call, and the loops' iterators
    return {_METER: meter, _CHARGER: charger, _EACH: charger.each, _STEPS: charger.steps}


def charge_of(statement: ast.stmt) -> int | None:
    """The ns of a charge ``apply`` compiled in the C meter's form (``charger[ns]``), or
    None for any other statement."""
    if type(statement) is not ast.Expr:
        return None
    value = statement.value
    if type(value) is ast.Subscript and type(value.value) is ast.Constant and \
            value.value.value is _CHARGER and type(value.slice) is ast.Constant:
        return value.slice.value
    return None


def gate(stack: list[int], top: int) -> Any:
    """The current meter's ``gate[ns]`` for a function's entry (the stack model's check
    of ``stack[0] > top`` and this model's charge in one C call), or None where the meter
    is a list."""
    charger = cost.charger(cost.current)
    return None if charger is None else charger.gate(stack, top)


def _charge(ns: float, where: ast.stmt, native: bool) -> ast.stmt:
    """``charger[ns]`` (``native``: the meter is C's) or ``meter[0] = meter[0] + ns``,
    located at ``where`` (not ``+=``: its stack shuffles make it a quarter slower, and a
    charge runs on every pass of a loop)."""
    ns = max(1, round(ns))
    node: ast.stmt
    if native:
        node = ast.Expr(ast.Subscript(ast.Constant(_CHARGER), ast.Constant(ns), ast.Load()))
    else:
        target = ast.Subscript(ast.Constant(_METER), ast.Constant(cost.SPENT), ast.Store())
        spent = ast.Subscript(ast.Constant(_METER), ast.Constant(cost.SPENT), ast.Load())
        node = ast.Assign([target], ast.BinOp(spent, ast.Add(), ast.Constant(ns)))
    return astwalk.locate(node, where)


def _insert(body: list[ast.stmt], ns: float, docstring: bool, native: bool) -> None:
    """Put a charge first in ``body`` (after a docstring or ``__future__`` imports)."""
    at = 0
    if docstring and body and isinstance(body[0], ast.Expr) and \
            isinstance(body[0].value, ast.Constant) and isinstance(body[0].value.value, str):
        at = 1
    while at < len(body) and isinstance(body[at], ast.ImportFrom) and \
            body[at].module == "__future__":
        at += 1
    where = body[at] if at < len(body) else body[-1]
    body.insert(at, _charge(ns, where, native))


class _Pass:
    """Walks the statements, charging each code object's straight-line work at its top."""

    def __init__(self, scale: float, native: bool) -> None:
        self.scale = scale
        self.native = native  # charges through the C meter's charger

    def block(self, body: list[ast.stmt], local: frozenset[str] | None, entry: float) -> None:
        """Charge ``body`` (a module's or function's) once, then its loops and functions."""
        estimate = _Estimate(self.scale, local)
        straight = entry + estimate.block(body)
        self.inner(body, estimate)
        if body:
            _insert(body, straight * self.scale, docstring=True, native=self.native)

    def inner(self, body: Iterable[ast.stmt], estimate: _Estimate,
              in_class: bool = False) -> None:
        """Charge the loops and functions inside ``body`` (``in_class``: a class body's,
        whose namespace may refuse a store)."""
        for node in body:
            if isinstance(node, _FUNCTIONS):
                self.block(node.body, _locals(node), FRAME)
            elif isinstance(node, ast.ClassDef):
                self.inner(node.body, _Estimate(self.scale, None), in_class=True)
            elif isinstance(node, _LOOPS):
                step = estimate.iteration(node)
                self.inner(node.body, estimate, in_class)
                self.inner(node.orelse, estimate, in_class)
                if self.native and not in_class and type(node) is ast.For and \
                        type(node.target) is ast.Name:
                    node.iter = _stepped(node.iter, step * self.scale)
                else:
                    _insert(node.body, step * self.scale, docstring=False, native=self.native)
            else:
                for field in ("body", "orelse", "finalbody"):
                    inside = getattr(node, field, None)
                    if isinstance(inside, list):
                        self.inner(inside, estimate, in_class)
                for handler in getattr(node, "handlers", ()):
                    self.inner(handler.body, estimate, in_class)
                for case in getattr(node, "cases", ()):
                    self.inner(case.body, estimate, in_class)


def _stepped(iterable: ast.expr, ns: float) -> ast.expr:
    """``charger.steps(iterable, ns)``, located at ``iterable``: a for loop's iterator
    charging each item it gives (``_charge``'s rounding)."""
    call = ast.Call(ast.Constant(_STEPS), [iterable, ast.Constant(max(1, round(ns)))], [])
    for part in (call, call.func, call.args[1]):
        ast.copy_location(part, iterable)
    return call


def _locals(node: ast.FunctionDef | ast.AsyncFunctionDef) -> frozenset[str]:
    """The names a function reads as fast locals: its parameters and what it assigns."""
    args = node.args
    names = {a.arg for a in (*args.posonlyargs, *args.args, *args.kwonlyargs)}
    names.update(a.arg for a in (args.vararg, args.kwarg) if a is not None)
    declared: set[str] = set()
    stack: list[ast.AST] = list(node.body)
    while stack:
        child = stack.pop()
        if isinstance(child, ast.Name):
            if not isinstance(child.ctx, ast.Load):
                names.add(child.id)
            continue
        if isinstance(child, (ast.Global, ast.Nonlocal)):
            declared.update(child.names)
            continue
        if isinstance(child, (*_FUNCTIONS, ast.ClassDef)):
            names.add(child.name)
            continue  # its body is its own scope
        if isinstance(child, (ast.Lambda, *_COMPREHENSIONS)):
            continue
        if isinstance(child, ast.ExceptHandler) and child.name:
            names.add(child.name)
        elif isinstance(child, ast.alias):
            names.add((child.asname or child.name).partition(".")[0])
        stack.extend(part for part in astwalk.children(child)
                     if part.__class__ not in astwalk.NAMELESS)
    return frozenset(names - declared)


class _Estimate:
    """V1 nanoseconds of straight-line code in one scope (loops' bodies not included)."""

    def __init__(self, scale: float, local: frozenset[str] | None) -> None:
        self.scale = scale
        self.local = local  # None: module or class level, every name is a dictionary entry

    def name(self, identifier: str, store: bool) -> float:
        if self.local is None:
            return MODULE_STORE if store else MODULE
        if identifier in self.local:
            return FAST
        return GLOBAL_STORE if store else GLOBAL

    def block(self, body: Iterable[ast.stmt]) -> float:
        return sum(self.stmt(node) for node in body)

    def iteration(self, node: ast.For | ast.AsyncFor | ast.While) -> float:
        """One pass round a loop: its step (or test) and its body."""
        if isinstance(node, ast.While):
            return self.expr(node.test) + FAST + self.block(node.body)
        return FOR_STEP + self.target(node.target) + self.block(node.body)

    def target(self, node: ast.AST) -> float:
        if isinstance(node, ast.Name):
            return self.name(node.id, store=True)
        if isinstance(node, (ast.Tuple, ast.List)):
            return FAST + sum(self.target(e) for e in node.elts)
        if isinstance(node, ast.Attribute):
            return self.expr(node.value) + ATTRIBUTE
        if isinstance(node, ast.Subscript):
            return self.expr(node.value) + self.expr(node.slice) + SUBSCRIPT
        if isinstance(node, ast.Starred):
            return ALLOCATE + self.target(node.value)
        return FAST

    def stmt(self, node: ast.stmt) -> float:
        kind = type(node)
        if kind is ast.Expr:
            return self.expr(node.value) + FAST  # type: ignore[attr-defined]
        if kind is ast.Assign:
            return self.expr(node.value) + sum(  # type: ignore[attr-defined]
                self.target(t) + FAST for t in node.targets)  # type: ignore[attr-defined]
        if kind is ast.AugAssign:
            target = node.target  # type: ignore[attr-defined]
            load = self.expr(ast.Name(target.id, ast.Load())) if isinstance(target, ast.Name) \
                else ATTRIBUTE if isinstance(target, ast.Attribute) else SUBSCRIPT
            return (load + self.target(target) + self.expr(node.value)  # type: ignore
                    + self.operator(node.op, node.value))  # type: ignore[attr-defined]
        if kind is ast.AnnAssign:
            value = node.value  # type: ignore[attr-defined]
            return 0 if value is None else self.expr(value) + self.target(
                node.target)  # type: ignore[attr-defined]
        if kind is ast.If:
            return (self.expr(node.test) + FAST  # type: ignore[attr-defined]
                    + (self.block(node.body) + self.block(node.orelse)) / 2)  # type: ignore
        if kind in (ast.For, ast.AsyncFor):
            return self.expr(node.iter) + FAST + FOR_STEP  # type: ignore[attr-defined]
        if kind is ast.While:
            return FAST  # its test is charged with each iteration (``iteration``)
        if kind in (ast.Return, ast.Yield):
            value = node.value  # type: ignore[attr-defined]
            return FAST + (0 if value is None else self.expr(value))
        if kind in (ast.Try, getattr(ast, "TryStar", ast.Try)):
            return 3 * FAST + self.block(node.body) + self.block(node.finalbody)  # type: ignore
        if kind in (ast.With, ast.AsyncWith):
            return self.block(node.body) + sum(  # type: ignore[attr-defined]
                WITH + self.expr(item.context_expr) for item in node.items)  # type: ignore
        if kind in _FUNCTIONS:
            return ALLOCATE + self.name(node.name, store=True) + sum(  # type: ignore
                self.expr(d) for d in node.decorator_list)  # type: ignore[attr-defined]
        if kind is ast.ClassDef:
            return CLASS + _Estimate(self.scale, None).block(node.body)  # type: ignore
        if kind in (ast.Import, ast.ImportFrom):
            return IMPORT
        if kind is ast.Raise:
            return RAISE + (self.expr(node.exc) if node.exc else 0)  # type: ignore
        if kind is ast.Assert:
            return self.expr(node.test) + FAST  # type: ignore[attr-defined]
        if kind is ast.Delete:
            return sum(self.target(t) for t in node.targets)  # type: ignore[attr-defined]
        if kind in (ast.Break, ast.Continue):
            return FAST
        return 0  # pass, global, nonlocal

    def operator(self, op: ast.operator, right: ast.expr, left: ast.expr | None = None) -> float:
        base = DIVIDE if isinstance(op, _DIVISIONS) else MULTIPLY if isinstance(
            op, ast.Mult) else ARITH
        if _is_float(right) or (left is not None and _is_float(left)):
            return base * FLOAT
        return base

    def expr(self, root: ast.expr) -> float:
        total = 0.0
        stack: list[ast.AST] = [root]
        while stack:
            node = stack.pop()
            kind = type(node)
            if kind is ast.Name:
                total += self.name(node.id, not isinstance(node.ctx, ast.Load))  # type: ignore
                continue
            if kind is ast.Constant:
                value = node.value  # type: ignore[attr-defined]
                if type(value) is str and value in codebinding.STANDS_FOR:
                    total += self.name(codebinding.STANDS_FOR[value], False)  # as before
                else:
                    total += FAST
                continue
            if kind is ast.Call:
                func = node.func  # type: ignore[attr-defined]
                if type(func) is ast.Name and func.id in REWRITTEN:
                    # mpsemantics' helpers: charged as the construct the source had
                    total += _rewritten(REWRITTEN[func.id], len(node.args))  # type: ignore
                    stack.extend(node.args)  # type: ignore[attr-defined]
                    continue
                total += CALL + FAST * len(node.args) + KEYWORD * len(  # type: ignore
                    node.keywords)  # type: ignore[attr-defined]
            elif kind is ast.Attribute:
                total += ATTRIBUTE
            elif kind is ast.BinOp:
                total += self.operator(node.op, node.right, node.left)  # type: ignore
            elif kind is ast.Compare:
                total += ARITH * len(node.ops)  # type: ignore[attr-defined]
            elif kind is ast.Subscript:
                total += SUBSCRIPT
            elif kind is ast.Slice:
                total += ALLOCATE
            elif kind in (ast.List, ast.Tuple, ast.Set, ast.Dict):
                total += ALLOCATE + ITEM * len(getattr(node, "elts", None)
                                               or getattr(node, "keys", ()))
            elif kind is ast.IfExp:
                total += self.expr(node.test) + FAST + (  # type: ignore[attr-defined]
                    self.expr(node.body) + self.expr(node.orelse)) / 2  # type: ignore
                continue
            elif kind is ast.Lambda:
                total += ALLOCATE
                continue  # its body runs when called (not charged: see the module doc)
            elif kind in _COMPREHENSIONS:
                total += ALLOCATE + CALL + self.comprehension(node)  # type: ignore[arg-type]
                continue
            elif kind in (ast.UnaryOp, ast.BoolOp, ast.Await, ast.Yield, ast.YieldFrom,
                          ast.NamedExpr, ast.Starred, ast.FormattedValue, ast.JoinedStr):
                total += ARITH
            stack.extend(astwalk.children(node))
        return total

    def comprehension(self, node: ast.ListComp | ast.SetComp | ast.DictComp |
                      ast.GeneratorExp) -> float:
        """Charge each item of ``node`` from its first iterable; return the iterable's cost."""
        first = node.generators[0]
        inner = _Estimate(self.scale, _comprehension_locals(node, self.local))
        item = FOR_STEP + inner.target(first.target) + sum(inner.expr(c) for c in first.ifs)
        for generator in node.generators[1:]:  # counted once per outer item
            item += inner.expr(generator.iter) + FOR_STEP + inner.target(generator.target)
            item += sum(inner.expr(c) for c in generator.ifs)
        if isinstance(node, ast.DictComp):
            item += inner.expr(node.key) + inner.expr(node.value) + SUBSCRIPT
        else:
            item += inner.expr(node.elt) + FAST
        outer = self.expr(first.iter)
        call = ast.Call(ast.Constant(_EACH), [first.iter, ast.Constant(
            max(1, round(item * self.scale)))], [])
        for part in (call, call.func, call.args[1]):
            ast.copy_location(part, first.iter)
        first.iter = call
        return outer


def _comprehension_locals(node: ast.AST, enclosing: frozenset[str] | None) -> frozenset[str]:
    """A comprehension's fast names: its targets, and the enclosing function's (cells)."""
    names = set(enclosing or ())
    for generator in node.generators:  # type: ignore[attr-defined]
        names.update(n.id for n in astwalk.walk(generator.target) if isinstance(n, ast.Name))
    return frozenset(names)


def _rewritten(kind: str, args: int) -> float:
    """V1 ns of a construct mpsemantics made a helper call of, beyond its operands."""
    if kind == "method":  # x.upper(...) -> helper(x, ...)
        return CALL + ATTRIBUTE + FAST * (args - 1)
    if kind == "call":  # int(x) -> helper(int, x)
        return CALL + FAST * (args - 1)
    if kind == "target":  # b[i] = v -> helper(b)[i] = v: the store is charged as ever
        return 0.0
    return ARITH - (FAST if kind == "compare" else 0)  # a < b -> helper(a, b, '<')


def _is_float(node: ast.expr) -> bool:
    return type(node) is ast.Constant and type(node.value) is float
