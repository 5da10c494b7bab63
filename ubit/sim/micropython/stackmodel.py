"""Call depth as the firmware's C stack decides it: a byte count compiled into user code.

Each board has its own costs (``COSTS``): the V1's fitted to QEMU recordings, the V2's
(MicroPython 1.18, 7.5 KB of stack) derived from its sources. What follows describes the V1;
the V2 checks at the same sites, and also when it resumes a generator (not modelled).

The V1 firmware (MicroPython 1.9.2) has a 1.8 KB C stack and checks it before each call
of a Python function (``fun_bc_call``), in ``mp_iternext``, in ``mp_obj_print_helper``
(``print``, ``str()``) and in ``mp_quicksort``; each kind of frame takes its own amount,
so how deep a recursion goes depends on its shape (``tests/sim/test_call_depth.py``).
Here a counter of bytes in use (``STACK[IN_USE]``, a list placed in each code object's
constants as the cost model places its meter) is checked and charged where the firmware
checks and spends its stack:

- each function checks the bytes below it against the limit, then charges its frame, and
  gives it back in a ``finally`` (3.11's try blocks cost nothing until an exception);
- lambdas and comprehensions are expressions: ``_out(_in(cost), value)`` (two calls);
  an exception that skips ``_out`` is made good by the enclosing function's ``finally``,
  which puts back the exact count it found, or by the next ``except`` clause;
- a generator expression or ``map``/``filter`` passed to a C consumer (``''.join``,
  ``list``, ``sum``…) charges the consumer's C frames and the resumed generator for as
  long as the consumer runs; ``print``, ``str()``, ``sorted`` and ``list.sort`` charge
  theirs in the emulation (``mpbuiltins``).

Generator functions are not charged: a suspended generator holds no C stack, and the
firmware doesn't check when it resumes one (it crashes instead, deeper than 8 nests); a
runaway generator recursion ends at CPython's own limit, which the executor keeps well
above the model.

The costs are bytes fitted to the recorded depths of programs 113-133 (the V1 firmware
under QEMU): every shape's deepest run lies within them with 22 bytes or more to spare.
"""

from __future__ import annotations

import ast
import os
import sys
from types import FrameType

from ubit.sim.shared.boards import BoardSpec
from ubit.sim.shared.typenames import Any

IN_USE, START = 0, 1  # STACK[IN_USE]: bytes in use now; STACK[START]: at main.py's top level
STACK: list[int] = [0, 0]
MESSAGE = "maximum recursion depth exceeded"

# Bytes each frame keeps on the C stack while it calls something (the VM's frame, the
# call's C functions, the state the VM puts on the stack), per board.
# V1: fitted to the recorded depths of programs 113-133 (MicroPython 1.9.2 under QEMU).
# V2: derived from MicroPython 1.18's sources as the V2 firmware builds them (no oracle):
# frames from ``-fstack-usage`` of py/*.c (arm-none-eabi-gcc -Os -mthumb -mcpu=cortex-m4,
# the flags of src/codal_port/Makefile), summed along each shape's call chain between two
# MP_STACK_CHECK sites, tail calls (mp_call_function_n_kw, mp_call_method_n_kw, type_call)
# taking nothing: ``tests/fidelity/stack_derive.py`` shows the sums.
COSTS = {
    "v1": {"FRAME": 230, "METHOD": 44, "CLOSURE": 136, "STAR_CALL": 44, "LAMBDA": 230,
           "COMPREHENSION": 184, "GENERATOR_CONSUMER": 320, "MAP_CONSUMER": 216,
           "SORT": 216, "PRINT": 72, "STR": 72},
    "v2": {"FRAME": 200, "METHOD": 8, "CLOSURE": 72, "STAR_CALL": 96, "LAMBDA": 200,
           "COMPREHENSION": 224, "GENERATOR_CONSUMER": 312, "MAP_CONSUMER": 88,
           "SORT": 144, "PRINT": 16, "STR": 120},
}
# The running board's costs (``select``); names read by the compiler pass and mpbuiltins.
FRAME = 230  # a plain function
METHOD = 44  # more for a function defined in a class (the method call's C frames)
CLOSURE = 136  # more for a function or comprehension with free variables (closure_call)
STAR_CALL = 44  # more for a function that calls with *args or **kwargs
LAMBDA = 230
COMPREHENSION = 184  # a list, set or dict comprehension (a function call on the firmware)
GENERATOR_CONSUMER = 320  # ''.join(genexpr), list(genexpr)…: the consumer and the resume
MAP_CONSUMER = 216  # list(map(f, …)): the consumer, mp_iternext, map's next and the call
SORT = 216  # sorted()/list.sort(): mp_quicksort and the key's call
PRINT = 72  # print(): down to mp_obj_print_helper's check
STR = 72  # str(x): down to mp_obj_print_helper's check

# Built-ins that consume an iterable in C: a generator they resume runs on their frames.
CONSUMERS = frozenset({"list", "tuple", "set", "frozenset", "dict", "sum", "min", "max",
                       "any", "all", "sorted", "bytes", "bytearray", "enumerate", "zip"})
_LAZY = frozenset({"map", "filter"})

# Stand-ins while compiling; the code object gets the objects themselves (``objects``).
# (a frozenset: CPython folds a constant string's subscript, ``"ab"[0]``, at compile time)
_STACK = frozenset({"\x00ubit-stack\x00"})
_OVERFLOW = "\x00ubit-overflow\x00"
_IN = "\x00ubit-in\x00"
_IN_FRAME = "\x00ubit-in-frame\x00"
_OUT = "\x00ubit-out\x00"
SAVED = "ubit stack"  # the local holding the count at entry (not a name user code can write)
_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)
_COMPREHENSIONS = (ast.ListComp, ast.SetComp, ast.DictComp)
_SCOPES = (*_FUNCTIONS, ast.Lambda, ast.ClassDef, ast.ListComp, ast.SetComp, ast.DictComp,
           ast.GeneratorExp)


def enabled(spec: BoardSpec) -> bool:
    """Whether programs for ``spec`` are compiled with the stack model (and its costs
    selected)."""
    on = spec.stack_start > 0 and os.environ.get("UBIT_STACK_MODEL", "1") not in (
        "0", "off", "no", "false")
    if on:
        select(spec)
    return on


def select(spec: BoardSpec) -> None:
    """Make ``spec``'s frame costs the module's (a board process runs one board)."""
    globals().update(COSTS[spec.name])


def start(spec: BoardSpec) -> None:
    """A program starts at main.py's top level (the REPL's lines too)."""
    STACK[IN_USE] = STACK[START] = spec.stack_start


def limit(spec: BoardSpec) -> int:
    """Bytes a call may find in use below it."""
    return spec.stack_limit


def overflow(trim: bool = True) -> RecursionError:
    """The firmware's error; ``trim``: raised in the callee, whose entry the firmware lacks."""
    exc = RecursionError(MESSAGE)
    if trim:
        exc.ubit_frame = sys._getframe(1)  # type: ignore[attr-defined]
    return exc


def tidy(exc: BaseException) -> None:
    """Drop the traceback entry of the frame that found the stack full (the firmware
    checks before the callee's frame exists, so it reports the caller's line)."""
    frame: FrameType | None = getattr(exc, "ubit_frame", None)
    if frame is None:
        return
    exc.ubit_frame = None  # type: ignore[attr-defined]
    tb, previous = exc.__traceback__, None
    while tb is not None:
        if tb.tb_frame is frame:
            if previous is None:
                exc.__traceback__ = tb.tb_next
            else:
                previous.tb_next = tb.tb_next
            return
        previous, tb = tb, tb.tb_next


def check(spend: int, top: int) -> int:
    """Charge ``spend`` bytes for C code that checks the stack (after its check); the count
    to put back after."""
    before = STACK[IN_USE]
    if before + spend > top:
        raise overflow(trim=False)
    STACK[IN_USE] = before + spend
    return before


def objects(spec: BoardSpec) -> dict[Any, Any]:
    """What compiled code's markers stand for: ``STACK`` and its helpers (bound by
    ``codebinding.bind_objects``)."""
    stack = STACK
    top = limit(spec)

    def enter(spend: int) -> int:
        """A comprehension or consumer: the bytes below it checked, then ``spend`` charged."""
        if stack[IN_USE] > top:
            raise overflow(trim=False)
        stack[IN_USE] += spend
        return spend

    def enter_frame(spend: int) -> int:
        """A lambda's frame (checked from inside it, so its own entry is dropped)."""
        if stack[IN_USE] > top:
            raise overflow()
        stack[IN_USE] += spend
        return spend

    def leave(spend: int, value: Any) -> Any:
        stack[IN_USE] -= spend
        return value

    return {_STACK: stack, _OVERFLOW: overflow, _IN: enter, _IN_FRAME: enter_frame,
            _OUT: leave}


# ---------------------------------------------------------------------------------------
# Compiling the charges in

Outer = tuple[frozenset[str], ...]  # names bound by each enclosing function or comprehension


def apply(tree: ast.AST, spec: BoardSpec) -> None:
    """Put the checks and charges into ``tree`` (in place)."""
    _Pass(limit(spec)).block(_own_children(tree), (), "module")


class _Pass:
    """One walk over the tree: functions get a prologue, expressions their charges."""

    def __init__(self, top: int) -> None:
        self.top = top

    def block(self, nodes: list[ast.AST], outer: Outer, resync: str | int | None) -> None:
        """Walk ``nodes`` of one scope. ``resync``: what an ``except`` clause puts back
        ("module": main.py's count; a cost: the frame's; None: nothing)."""
        for node in nodes:
            self.visit(node, outer, resync)

    def function(self, node: ast.FunctionDef | ast.AsyncFunctionDef, outer: Outer,
                 method: bool) -> None:
        """A ``def``: its body, then its prologue (not for generators: see the module doc)."""
        generator = _is_generator(node)
        cost = 0
        if not generator:
            cost = (FRAME + (METHOD if method else 0)
                    + (CLOSURE if _is_closure(node, outer) else 0)
                    + (STAR_CALL if _star_calls(node) else 0))
        self.block(list(node.body), outer + (_bound_names(node),), cost or None)
        if not generator:
            self.wrap_function(node, cost)

    def visit(self, node: ast.AST, outer: Outer, resync: str | int | None) -> None:
        """Walk ``node`` within one scope: charge its expressions, enter the scopes inside."""
        stack = [node]
        while stack:
            current = stack.pop()
            if isinstance(current, ast.ClassDef):
                self.fields(current, ("decorator_list", "bases", "keywords"), stack, outer)
                for item in current.body:
                    if isinstance(item, _FUNCTIONS):
                        self.function(item, outer, method=True)
                        self.fields(item, ("decorator_list", "args"), stack, outer)
                    else:
                        self.visit(item, outer, None)
                continue
            if isinstance(current, _FUNCTIONS):
                self.function(current, outer, method=False)
                self.fields(current, ("decorator_list", "args"), stack, outer)
                continue
            if isinstance(current, ast.ExceptHandler) and resync is not None:
                current.body.insert(0, _resync(current.body[0], resync))
            self.fields(current, tuple(current._fields), stack, outer)

    def fields(self, node: ast.AST, names: tuple[str, ...], stack: list[ast.AST],
               outer: Outer) -> None:
        """Charge the expressions in ``node``'s fields ``names``; queue what needs walking."""
        for name in names:
            value = getattr(node, name, None)
            if isinstance(value, list):
                for i, item in enumerate(value):
                    if isinstance(item, ast.AST):
                        value[i], walk = self.expression(item, outer)
                        if walk:
                            stack.append(item)
            elif isinstance(value, ast.AST):
                new, walk = self.expression(value, outer)
                setattr(node, name, new)
                if walk:
                    stack.append(value)

    def expression(self, node: ast.AST, outer: Outer) -> tuple[ast.AST, bool]:
        """``node`` with its charge, and whether its parts are still to be walked."""
        if isinstance(node, (*_COMPREHENSIONS, ast.GeneratorExp)):
            closure = _is_closure(node, outer)
            self.comprehension(node, outer)
            if isinstance(node, ast.GeneratorExp):
                return node, False
            return _charged(node, COMPREHENSION + (CLOSURE if closure else 0), _IN), False
        if isinstance(node, ast.Lambda):
            closure = _is_closure(node, outer)
            inner = outer + (_bound_names(node),)
            body, walk = self.expression(node.body, inner)
            if walk:
                self.visit(body, inner, None)
            node.body = _charged(body, LAMBDA + (CLOSURE if closure else 0), _IN_FRAME)
            stack: list[ast.AST] = []
            self.fields(node, ("args",), stack, outer)  # defaults: the enclosing scope's
            for item in stack:
                self.visit(item, outer, None)
            return node, False
        if isinstance(node, ast.Call):
            consumed = _consumed(node)
            if consumed:
                return _charged(node, consumed, _IN), True
        return node, True

    def comprehension(self, node: ast.AST, outer: Outer) -> None:
        """A comprehension's parts: the first iterable in the enclosing scope, the rest in
        its own (nested scopes see its names as enclosing)."""
        inner = outer + (_bound_names(node),)
        for i, generator in enumerate(node.generators):  # type: ignore[attr-defined]
            stack: list[ast.AST] = []
            self.fields(generator, ("iter",), stack, outer if i == 0 else inner)
            self.fields(generator, ("target", "ifs"), stack, inner)
            for item in stack:
                self.visit(item, outer if item is generator.iter and i == 0 else inner, None)
        stack = []
        self.fields(node, ("elt", "key", "value"), stack, inner)
        for item in stack:
            self.visit(item, inner, None)

    def wrap_function(self, node: ast.FunctionDef | ast.AsyncFunctionDef, cost: int) -> None:
        """``saved = S[0]; if saved > LIMIT: raise overflow(); S[0] = saved + cost;
        try: body finally: S[0] = saved``."""
        body = node.body
        first = body[0]
        keep = 1 if (isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant)
                     and isinstance(first.value.value, str) and len(body) > 1) else 0
        rest = body[keep:]
        where = rest[0]
        prologue: list[ast.stmt] = [
            ast.Assign([ast.Name(SAVED, ast.Store())], _slot(ast.Load())),
            ast.If(ast.Compare(ast.Name(SAVED, ast.Load()), [ast.Gt()],
                               [ast.Constant(self.top)]),
                   [ast.Raise(ast.Call(_const(_OVERFLOW), [], []), None)], []),
            ast.Assign([_slot(ast.Store())], ast.BinOp(
                ast.Name(SAVED, ast.Load()), ast.Add(), ast.Constant(cost)))]
        for statement in prologue:
            _locate(statement, where)
        restore = _locate(ast.Assign([_slot(ast.Store())], ast.Name(SAVED, ast.Load())),
                          rest[-1])
        guard = ast.Try(rest, [], [], [restore])
        ast.copy_location(guard, where)
        guard.end_lineno, guard.end_col_offset = rest[-1].end_lineno, rest[-1].end_col_offset
        node.body = body[:keep] + prologue + [guard]


def _resync(where: ast.stmt, resync: str | int) -> ast.stmt:
    """``S[0] = <this frame's count>``: the exception may have skipped a give-back."""
    if resync == "module":
        value: ast.expr = ast.Subscript(_const(_STACK), ast.Constant(START), ast.Load())
    else:
        value = ast.BinOp(ast.Name(SAVED, ast.Load()), ast.Add(), ast.Constant(resync))
    return _locate(ast.Assign([_slot(ast.Store())], value), where)


def _charged(node: ast.expr, cost: int, enter: str) -> ast.expr:
    """``_out(cost, _in(cost)... )``: ``_out(_in(cost), node)``, located at ``node``."""
    inner = ast.Call(_const(enter), [ast.Constant(cost)], [])
    call = ast.Call(_const(_OUT), [inner, node], [])
    for part in (call, call.func, inner, inner.func, inner.args[0]):
        ast.copy_location(part, node)
    return call


def _locate(node: ast.AST, where: ast.AST) -> Any:
    """``node`` and everything in it at ``where``'s location."""
    for part in ast.walk(node):
        if "lineno" in part._attributes:
            ast.copy_location(part, where)
    return node


def _const(name: Any) -> ast.Constant:
    return ast.Constant(name)


def _slot(ctx: ast.expr_context) -> ast.Subscript:
    return ast.Subscript(_const(_STACK), ast.Constant(IN_USE), ctx)


def _own_children(node: ast.AST) -> list[ast.AST]:
    """The statements of a scope (a function's body; a module's)."""
    body = getattr(node, "body", None)
    if isinstance(body, list):
        return list(body)
    return [body] if isinstance(body, ast.AST) else []


def _walk_scope(node: ast.AST) -> list[ast.AST]:
    """Nodes of ``node``'s own scope (not inside nested functions, lambdas or classes)."""
    found: list[ast.AST] = []
    stack: list[ast.AST] = list(_own_children(node))
    while stack:
        child = stack.pop()
        found.append(child)
        if isinstance(child, (*_FUNCTIONS, ast.Lambda, ast.ClassDef)):
            continue
        stack.extend(ast.iter_child_nodes(child))
    return found


def _is_generator(node: ast.AST) -> bool:
    return any(isinstance(n, (ast.Yield, ast.YieldFrom)) for n in _walk_scope(node))


def _star_calls(node: ast.AST) -> bool:
    for child in _walk_scope(node):
        if isinstance(child, ast.Call) and (
                any(isinstance(a, ast.Starred) for a in child.args)
                or any(k.arg is None for k in child.keywords)):
            return True
    return False


def _bound_names(node: ast.AST) -> frozenset[str]:
    """Names a function, lambda or comprehension binds itself."""
    names: set[str] = set()
    args = getattr(node, "args", None)
    if isinstance(args, ast.arguments):
        names.update(a.arg for a in (*args.posonlyargs, *args.args, *args.kwonlyargs))
        names.update(a.arg for a in (args.vararg, args.kwarg) if a is not None)
    for generator in getattr(node, "generators", ()):
        names.update(n.id for n in ast.walk(generator.target) if isinstance(n, ast.Name))
    if isinstance(node, _FUNCTIONS):
        declared: set[str] = set()
        for child in _walk_scope(node):
            if isinstance(child, ast.Name) and not isinstance(child.ctx, ast.Load):
                names.add(child.id)
            elif isinstance(child, (ast.Global, ast.Nonlocal)):
                declared.update(child.names)
            elif isinstance(child, (*_FUNCTIONS, ast.ClassDef)):
                names.add(child.name)
            elif isinstance(child, ast.ExceptHandler) and child.name:
                names.add(child.name)
            elif isinstance(child, ast.alias):
                names.add((child.asname or child.name).partition(".")[0])
        names -= declared
    return frozenset(names)


def _is_closure(node: ast.AST, outer: Outer) -> bool:
    """Whether ``node`` reads a name an enclosing function (or comprehension) binds."""
    if not outer:
        return False
    enclosing = frozenset().union(*outer)
    own = _bound_names(node)
    parts: list[ast.AST] = [node]
    generators = getattr(node, "generators", None)
    if generators:  # the first iterable is evaluated outside (passed in)
        parts = [g for g in generators[1:]] + [generators[0].target, *generators[0].ifs]
        parts += [getattr(node, f) for f in ("elt", "key", "value") if hasattr(node, f)]
    return any(isinstance(n, ast.Name) and n.id in enclosing and n.id not in own
               for part in parts for n in ast.walk(part))


def _consumed(node: ast.Call) -> int:
    """What a C consumer's frames cost while it resumes a generator (or map) it was given."""
    func = node.func
    consumer = (isinstance(func, ast.Attribute) and func.attr == "join") or (
        isinstance(func, ast.Name) and func.id in CONSUMERS)
    if not consumer:
        return 0
    for arg in node.args:
        if isinstance(arg, ast.GeneratorExp):
            return GENERATOR_CONSUMER
        if isinstance(arg, ast.Call) and isinstance(arg.func, ast.Name) and \
                arg.func.id in _LAZY:
            return MAP_CONSUMER
    return 0
