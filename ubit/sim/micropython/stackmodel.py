"""Call depth as the firmware's C stack decides it: a byte count compiled into user code.

Each board has its own costs (``COSTS``): the V1's fitted to QEMU recordings, the V2's
(MicroPython 1.18, 7.5 KB of stack) derived from its sources. What follows describes the V1;
the V2 checks at the same sites, and also when it resumes a generator (below).

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

A suspended generator holds no C stack. The V1 firmware doesn't check when it resumes
one (it crashes instead, deeper than 8 nests), so there generator functions are not
charged; a runaway generator recursion ends at CPython's own limit, which the executor
keeps well above the model. The V2 (``mp_obj_gen_resume``, py/objgenerator.c) checks at
each resume and runs the generator's VM frame on the resumer's stack (``GENERATOR``): its
body checks the resumer's count at each (re)entry (its first run and after each yield),
charges its bytes and gives them back before each yield and at its end. What lies between
the resumer's count and the generator's check is handed to a new generator as it starts
(``STACK[HANDOFF]``, kept in its locals): a delegator's frames for ``yield from``
(``YIELD_FROM``), a C consumer's (``list(g(n))``, ``''.join(g(n))``; one so started keeps
its bytes between yields, as nothing else runs until the consumer returns and puts back
the count it found). A generator closed or thrown into while suspended (``close()``,
``throw()``, CPython's close of an abandoned one) runs on at the thrower's count, never
the one it last gave back. A resume from the count given back (the same int object: each
function puts back the one it found) skips the check and the sum.

The V1's costs are bytes fitted to the recorded depths of programs 113-133 and of the
QEMU probes in ``tests/sim/test_call_depth.py`` (the V1 firmware). There each frame also
takes its VM state when fun_bc_call puts it on the C stack (``state_bytes``, from
``mpstate``'s estimate of n_state), main.py's module its own, and exec(), eval() and
imports of .py files run their code's module EXEC or IMPORT bytes deeper
(``module_frame``). The probes pin the start and FRAME to within 4 bytes either way
(start + 6 FRAME: 1628, 087's seven 24-byte frames against r4's 56-byte ones).
"""

from __future__ import annotations

import ast
import os
import sys
from types import FrameType, GeneratorType

from ubit.sim.micropython import astwalk, costmodel, mpstate
from ubit.sim.shared.boards import BoardSpec
from ubit.sim.shared.typenames import Any

# STACK[IN_USE]: bytes in use now; STACK[START]: at main.py's top level; STACK[HANDOFF]: the
# bytes a generator about to start finds below its check beyond the count (``GENERATOR``),
# STACK[CONSUMER]: whether a C consumer starts it
IN_USE, START, HANDOFF, CONSUMER = 0, 1, 2, 3
STACK: list[int] = [0, 0, 0, 0]
MESSAGE = "maximum recursion depth exceeded"

# Bytes each frame keeps on the C stack while it calls something (the VM's frame, the
# call's C functions, the state the VM puts on the stack), per board.
# V1: fitted to the recorded depths of programs 113-133 (MicroPython 1.9.2 under QEMU).
# V2: derived from MicroPython 1.18's sources as the V2 firmware builds them (no oracle):
# frames from ``-fstack-usage`` of py/*.c (arm-none-eabi-gcc -Os -mthumb -mcpu=cortex-m4,
# the flags of src/codal_port/Makefile), summed along each shape's call chain between two
# MP_STACK_CHECK sites, tail calls (mp_call_function_n_kw, mp_call_method_n_kw, type_call)
# taking nothing: ``tests/fidelity/stack_derive.py`` shows the sums. GENERATOR and
# YIELD_FROM: the V2's check at each generator resume (the V1 has none: 0, not charged).
# V1 (STATES): FRAME, LAMBDA and COMPREHENSION are the call's C frames alone; each frame
# adds its own VM state as fun_bc_call puts it on the C stack (``state_bytes``), main.py's
# module its own (``start``); EXEC and IMPORT: the C frames from the caller's count to the
# check of the exec'd or imported module's fun_bc_call (its frame: FRAME + its state).
COSTS = {
    "v1": {"FRAME": 200, "METHOD": 44, "CLOSURE": 124, "STAR_CALL": 36, "LAMBDA": 200,
           "COMPREHENSION": 184, "GENERATOR_CONSUMER": 320, "MAP_CONSUMER": 216,
           "SORT": 216, "PRINT": 72, "STR": 72, "GENERATOR": 0, "YIELD_FROM": 0,
           "STATES": 1, "EXEC": 220, "IMPORT": 312},
    "v2": {"FRAME": 200, "METHOD": 8, "CLOSURE": 72, "STAR_CALL": 96, "LAMBDA": 200,
           "COMPREHENSION": 224, "GENERATOR_CONSUMER": 312, "MAP_CONSUMER": 88,
           "SORT": 144, "PRINT": 16, "STR": 120, "GENERATOR": 160, "YIELD_FROM": 144,
           "STATES": 0, "EXEC": 0, "IMPORT": 0},
}
# The running board's costs (``select``); names read by the compiler pass and mpbuiltins.
FRAME = 200  # a plain function (its C frames; its state apart: ``state_bytes``)
METHOD = 44  # more for a function defined in a class (the method call's C frames)
CLOSURE = 136  # more for a function or comprehension with free variables (closure_call)
STAR_CALL = 44  # more for a function that calls with *args or **kwargs
LAMBDA = 200
COMPREHENSION = 184  # a list, set or dict comprehension (a function call on the firmware)
GENERATOR_CONSUMER = 320  # ''.join(genexpr), list(genexpr)…: the consumer and the resume
MAP_CONSUMER = 216  # list(map(f, …)): the consumer, mp_iternext, map's next and the call
SORT = 216  # sorted()/list.sort(): mp_quicksort and the key's call
PRINT = 72  # print(): down to mp_obj_print_helper's check
STR = 72  # str(x): down to mp_obj_print_helper's check
GENERATOR = 0  # a generator function's body while it runs (0: generators not charged)
YIELD_FROM = 0  # below the check of a generator resumed by ``yield from`` (the delegator's)
STATES = 1  # 1: each frame adds its VM state (``state_bytes``); 0: the costs include one
EXEC = 220  # exec()/eval(): C frames below the check of the code's module frame
IMPORT = 312  # import of a .py: the same, down to the imported module's check
ON = [False]  # whether the running board counts its stack (``select``)
# The state of the module last compiled (``apply``): main.py's sets where it starts, an
# exec'd or imported one's is charged with its frame (``module_frame``).
MODULE_STATE = [0]
# sizeof(mp_code_state_t) in 1.9.2 (py/bc.h: fun_bc, ip, sp, exc_sp, old_globals)
CODE_STATE = 20
# VM_MAX_STATE_ON_STACK (py/objfun.c): 11 words; a bigger state goes on the heap
MAX_STATE_ON_STACK = 44
# main.py's state that the boards' stack_start includes: the depth programs' top level (a
# for loop and a try: 7 slots and one exception-stack entry)
START_STATE = 64

# Built-ins that consume an iterable in C: a generator they resume runs on their frames.
CONSUMERS = frozenset({"list", "tuple", "set", "frozenset", "dict", "sum", "min", "max",
                       "any", "all", "sorted", "bytes", "bytearray", "enumerate", "zip"})
_LAZY = frozenset({"map", "filter"})
_LAZY_C = frozenset({"enumerate", "zip"})  # consumers that start nothing when called

# Stand-ins while compiling; the code object gets the objects themselves (``objects``).
# (a frozenset: CPython folds a constant string's subscript, ``"ab"[0]``, at compile time)
_STACK = frozenset({"\x00ubit-stack\x00"})
# the C meter's gate (``costmodel.gate``): a function entry's check and its cost charge
_GATE = frozenset({"\x00ubit-gate\x00"})
_OVERFLOW = "\x00ubit-overflow\x00"
_IN = "\x00ubit-in\x00"
_IN_FRAME = "\x00ubit-in-frame\x00"
_OUT = "\x00ubit-out\x00"
_GIVE = "\x00ubit-give\x00"
_RESUMED = "\x00ubit-resumed\x00"
_DELEGATE = "\x00ubit-delegate\x00"
_HAND = "\x00ubit-hand\x00"
_RESTORE = "\x00ubit-restore\x00"
SAVED = "ubit stack"  # the local holding the count at entry (not a name user code can write)
# A generator's locals: the limit its resumes are checked against and the bytes it charges
# (both shifted by what lies below its check: a delegator's or a C consumer's frames).
_LIMIT = "ubit limit"
_CHARGE = "ubit charge"
_CHARGED = "ubit charged"  # saved + charge: the count while the generator runs
_CONSUMED = "ubit consumed"  # started by a C consumer: it keeps its bytes between yields
_VALUE = "ubit value"  # a yielded value, evaluated before the generator gives its bytes back
SUSPENDED = -1  # SAVED while a generator is suspended (a resume by throw() finds it so)
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
    ON[0] = True


def state_bytes(n_state: int, n_exc: int) -> int:
    """C stack that fun_bc_call (1.9.2 py/objfun.c) allocas for a frame's VM state: the
    code state and 4 bytes per local and stack slot, 12 per exception-stack entry, 8-byte
    aligned, when those are at most 44 bytes; a bigger state it takes from the heap (0)."""
    size = 4 * n_state + 12 * n_exc
    return 0 if size > MAX_STATE_ON_STACK else (CODE_STATE + size + 7) // 8 * 8


_NOTED = "_ubit_state"  # a scope node's (n_state, n_exc) as ``note_states`` found it


def note_states(tree: ast.AST) -> None:
    """Size each scope's VM state from the program's own code, before the other passes
    rewrite it (their helper calls are no bytecode of the firmware's)."""
    if not STATES:
        return
    for node in astwalk.walk(tree):
        if isinstance(node, (*_SCOPES, ast.Module, ast.Interactive, ast.Expression)):
            setattr(node, _NOTED, mpstate.scope_state(node))


def _state(node: ast.AST, outer: Outer = ()) -> int:
    """The C stack ``node``'s frame puts its state in (0 where the board's costs include
    it)."""
    if not STATES:
        return 0
    noted = getattr(node, _NOTED, None)
    if noted is None:  # a scope a pass made (a set comprehension's list)
        return state_bytes(*mpstate.scope_state(node, _free_count(node, outer)))
    n_state, n_exc = noted
    module = isinstance(node, (ast.Module, ast.ClassDef, ast.Interactive, ast.Expression))
    return state_bytes(n_state + (0 if module else _free_count(node, outer)), n_exc)


def start(spec: BoardSpec) -> None:
    """A program starts at main.py's top level (the REPL's lines too), its module's state
    below it where the board counts states."""
    shift = MODULE_STATE[0] - START_STATE if STATES else 0
    STACK[IN_USE] = STACK[START] = spec.stack_start + shift
    STACK[HANDOFF] = STACK[CONSUMER] = 0


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


class _ModuleFrame:
    """exec(), eval() or an import running user code: the C frames down to the check of
    its module's fun_bc_call, then its frame; the count (and the count an ``except`` at
    its top level puts back) restored after."""

    __slots__ = ("below", "top", "saved")

    def __init__(self, below: int, top: int) -> None:
        self.below, self.top = below, top
        self.saved = (0, 0)

    def __enter__(self) -> None:
        before = STACK[IN_USE]
        self.saved = (before, STACK[START])
        if before + self.below > self.top:
            raise overflow(trim=False)
        STACK[IN_USE] = STACK[START] = before + self.below + FRAME + MODULE_STATE[0]

    def __exit__(self, *exc: object) -> None:
        STACK[IN_USE], STACK[START] = self.saved


class _Nothing:
    __slots__ = ()

    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        return None


_NOTHING = _Nothing()


def module_frame(spec: BoardSpec, kind: str) -> _ModuleFrame | _Nothing:
    """``with module_frame(spec, "EXEC" or "IMPORT"):`` around running the code just
    compiled (its state is ``MODULE_STATE``); nothing where the board doesn't charge it."""
    below = globals()[kind] if ON[0] else 0
    return _ModuleFrame(below, limit(spec)) if below else _NOTHING


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

    found = {_STACK: stack, _OVERFLOW: overflow, _IN: enter, _IN_FRAME: enter_frame,
             _OUT: leave, **_generator_objects(stack)}
    gate = costmodel.gate(stack, top)
    if gate is not None:
        found[_GATE] = gate
    return found


def _generator_objects(stack: list[int]) -> dict[str, Any]:
    """The helpers of a generator's yields that sit inside expressions, and of the
    hand-off to a generator started by ``yield from`` or a C consumer."""
    below_delegated = YIELD_FROM - GENERATOR  # the sub-generator's shift: the delegator's

    def fresh(value: Any) -> bool:
        """A generator of the user's that hasn't started (its prologue takes the hand-off)."""
        return (type(value) is GeneratorType and value.gi_frame is not None
                and not value.gi_suspended and not value.gi_running
                and _CHARGE in value.gi_code.co_varnames)

    def give(value: Any, base: int, suspended: int) -> Any:
        """Before ``yield value``: the generator's bytes given back."""
        stack[IN_USE] = base
        return value

    def resumed(top: int, charge: int) -> int:
        """After a yield: the resumer's bytes checked, the generator's charged; the count
        to give back."""
        base = stack[IN_USE]
        if base > top:
            exc = overflow(trim=False)
            exc.ubit_frame = sys._getframe(1)  # type: ignore[attr-defined]
            raise exc
        stack[IN_USE] = base + charge
        return base

    def delegate(value: Any, base: int, charge: int, suspended: int) -> Any:
        """``yield from value``: the delegator's bytes given back, and (if ``value`` is a
        new generator) handed to it, as they lie below it for as long as it runs."""
        stack[IN_USE] = base
        if fresh(value):
            stack[HANDOFF] = charge + below_delegated
        return value

    def hand(value: Any, below: int) -> Any:
        """A C consumer's argument: a new generator starts ``below`` bytes deeper (and
        keeps its bytes while the consumer runs)."""
        if fresh(value):
            stack[HANDOFF] = below
            stack[CONSUMER] = 1
        return value

    def restore(before: int, value: Any) -> Any:
        """After the consumer: the count it found (a generator it left suspended kept
        its bytes; an exception skipping this is made good as ``_OUT``'s is)."""
        stack[IN_USE] = before
        return value

    return {_GIVE: give, _RESUMED: resumed, _DELEGATE: delegate, _HAND: hand,
            _RESTORE: restore}


# ---------------------------------------------------------------------------------------
# Compiling the charges in

Outer = tuple[frozenset[str], ...]  # names bound by each enclosing function or comprehension


def apply(tree: ast.AST, spec: BoardSpec) -> None:
    """Put the checks and charges into ``tree`` (in place)."""
    global _scopes
    _scopes = {}
    try:
        generators = frozenset(node.name for node in astwalk.statements(tree) if isinstance(
            node, ast.FunctionDef) and _is_generator(node)) if GENERATOR else frozenset()
        if STATES and isinstance(tree, (ast.Module, ast.Interactive, ast.Expression)):
            MODULE_STATE[0] = _state(tree)
        _Pass(limit(spec), generators).block(_own_children(tree), (), "module")
    finally:
        _scopes = None


class _Pass:
    """One walk over the tree: functions get a prologue, expressions their charges."""

    def __init__(self, top: int, generators: frozenset[str]) -> None:
        self.top = top
        self.generators = generators  # names of the program's generator functions

    def block(self, nodes: list[ast.AST], outer: Outer, resync: str | int | None) -> None:
        """Walk ``nodes`` of one scope. ``resync``: what an ``except`` clause puts back
        ("module": main.py's count; a cost: the frame's; None: nothing)."""
        for node in nodes:
            self.visit(node, outer, resync)

    def function(self, node: ast.FunctionDef | ast.AsyncFunctionDef, outer: Outer,
                 method: bool) -> None:
        """A ``def``: its body, then its prologue (a generator's: at each resume, if the
        board charges them; see the module doc)."""
        generator = _is_generator(node)
        if generator and GENERATOR and isinstance(node, ast.FunctionDef):
            self.block(list(node.body), outer + (_bound_names(node),), "generator")
            node.body = _Yields().statements(node.body)
            self.wrap_generator(node)
            return
        if not generator and _is_leaf(node):
            self.block(list(node.body), outer + (_bound_names(node),), None)
            self.check_leaf(node)
            return
        cost = 0
        if not generator:
            cost = (FRAME + (METHOD if method else 0)
                    + (CLOSURE if _is_closure(node, outer) else 0)
                    + (STAR_CALL if _star_calls(node) else 0) + _state(node, outer))
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
                current.body[:0] = _resync(current.body[0], resync)
            self.fields(current, tuple(current._fields), stack, outer)

    def fields(self, node: ast.AST, names: tuple[str, ...], stack: list[ast.AST],
               outer: Outer) -> None:
        """Charge the expressions in ``node``'s fields ``names``; queue what needs walking."""
        inert = astwalk.INERT  # nothing to charge in them, nothing inside
        for name in names:
            value = getattr(node, name, None)
            if isinstance(value, list):
                for i, item in enumerate(value):
                    if isinstance(item, ast.AST) and item.__class__ not in inert:
                        value[i], walk = self.expression(item, outer)
                        if walk:
                            stack.append(item)
            elif isinstance(value, ast.AST) and value.__class__ not in inert:
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
            cost = COMPREHENSION + (CLOSURE if closure else 0) + _state(node, outer)
            return _charged(node, cost, _IN), False
        if isinstance(node, ast.Lambda):
            closure = _is_closure(node, outer)
            inner = outer + (_bound_names(node),)
            body, walk = self.expression(node.body, inner)
            if walk:
                self.visit(body, inner, None)
            cost = LAMBDA + (CLOSURE if closure else 0) + _state(node, outer)
            node.body = _charged(body, cost, _IN_FRAME)
            stack: list[ast.AST] = []
            self.fields(node, ("args",), stack, outer)  # defaults: the enclosing scope's
            for item in stack:
                self.visit(item, outer, None)
            return node, False
        if isinstance(node, ast.Call):
            handed = bool(self.generators) and _hand_generators(node, self.generators)
            consumed = _consumed(node)
            if consumed:
                node = _charged(node, consumed, _IN)
            if handed:  # the count before the call, put back after it
                restored = ast.Call(_const(_RESTORE), [_slot(ast.Load()), node], [])
                return _around(restored, node, node), True
            return node, True
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
        charge = costmodel.charge_of(where) if len(rest) > 1 else None
        check: ast.stmt
        if charge is None:
            check = ast.If(ast.Compare(ast.Name(SAVED, ast.Load()), [ast.Gt()],
                                       [ast.Constant(self.top)]),
                           [ast.Raise(ast.Call(_const(_OVERFLOW), [], []), None)], [])
        else:  # the cost model's entry charge made by the check (it reads S[0] == saved)
            check = _gated(charge)
            rest = rest[1:]
        prologue: list[ast.stmt] = [
            ast.Assign([ast.Name(SAVED, ast.Store())], _slot(ast.Load())), check,
            ast.Assign([_slot(ast.Store())], ast.BinOp(
                ast.Name(SAVED, ast.Load()), ast.Add(), ast.Constant(cost)))]
        for statement in prologue:
            astwalk.locate(statement, where)
        restore = astwalk.locate(ast.Assign([_slot(ast.Store())], ast.Name(SAVED, ast.Load())),
                          rest[-1])
        guard = ast.Try(rest, [], [], [restore])
        ast.copy_location(guard, where)
        guard.end_lineno, guard.end_col_offset = rest[-1].end_lineno, rest[-1].end_col_offset
        node.body = body[:keep] + prologue + [guard]

    def check_leaf(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        """``if S[0] > LIMIT: raise overflow()``: a leaf (``_is_leaf``) is checked as any
        function is, but nothing below it reads its charge."""
        body = node.body
        first = body[0]
        keep = 1 if (isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant)
                     and isinstance(first.value.value, str) and len(body) > 1) else 0
        charge = costmodel.charge_of(body[keep])
        if charge is not None:  # the cost model's entry charge, made by the check
            body[keep] = astwalk.locate(_gated(charge), body[keep])
            return
        check = ast.If(ast.Compare(_slot(ast.Load()), [ast.Gt()], [ast.Constant(self.top)]),
                       [ast.Raise(ast.Call(_const(_OVERFLOW), [], []), None)], [])
        body.insert(keep, astwalk.locate(check, body[keep]))

    def wrap_generator(self, node: ast.FunctionDef) -> None:
        """A generator's first run: ``limit = S[HANDOFF]; consumed = S[CONSUMER];
        S[HANDOFF] = S[CONSUMER] = 0; charge = limit + GENERATOR; limit = TOP - limit``,
        its entry (``_entry``) and charge; ``try: body finally: if saved >= 0: S[0] =
        saved`` (``SUSPENDED``: it was left in ``yield from``, its bytes given back)."""
        body = node.body
        first = body[0]
        keep = 1 if (isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant)
                     and isinstance(first.value.value, str) and len(body) > 1) else 0
        rest = body[keep:]
        where = rest[0]
        handoff = ast.Subscript(_const(_STACK), ast.Constant(HANDOFF), ast.Load())
        prologue: list[ast.stmt] = [astwalk.locate(statement, where) for statement in (
            ast.Assign([ast.Name(_LIMIT, ast.Store())], handoff),
            ast.Assign([ast.Name(_CONSUMED, ast.Store())],
                       ast.Subscript(_const(_STACK), ast.Constant(CONSUMER), ast.Load())),
            ast.Assign([ast.Subscript(_const(_STACK), ast.Constant(HANDOFF), ast.Store()),
                        ast.Subscript(_const(_STACK), ast.Constant(CONSUMER), ast.Store())],
                       ast.Constant(0)),
            ast.Assign([ast.Name(_CHARGE, ast.Store())], ast.BinOp(
                ast.Name(_LIMIT, ast.Load()), ast.Add(), ast.Constant(GENERATOR))),
            ast.Assign([ast.Name(_LIMIT, ast.Store())], ast.BinOp(
                ast.Constant(self.top), ast.Sub(), ast.Name(_LIMIT, ast.Load()))))]
        prologue += [*_entry(where), astwalk.locate(_charge(), where)]
        restore = astwalk.locate(ast.If(
            ast.Compare(_saved(ast.Load()), [ast.GtE()], [ast.Constant(0)]),
            [ast.Assign([_slot(ast.Store())], _saved(ast.Load()))], []), rest[-1])
        guard = ast.Try(rest, [], [], [restore])
        ast.copy_location(guard, where)
        guard.end_lineno, guard.end_col_offset = rest[-1].end_lineno, rest[-1].end_col_offset
        node.body = body[:keep] + prologue + [guard]


def _gated(charge: int) -> ast.stmt:
    """``if GATE[charge]: raise overflow()``: the check, and the cost model's entry charge
    made where it passes (``costmodel.gate``: nothing charged where it fails, as before)."""
    return ast.If(ast.Subscript(_const(_GATE), ast.Constant(charge), ast.Load()),
                  [ast.Raise(ast.Call(_const(_OVERFLOW), [], []), None)], [])


def _resync(where: ast.stmt, resync: str | int) -> list[ast.stmt]:
    """``S[0] = <this frame's count>``: the exception may have skipped a give-back. In a
    generator, one thrown in at a yield (``throw()``, ``close()``) resumed it where the
    thrower's count stands."""
    if resync == "module":
        value: ast.expr = ast.Subscript(_const(_STACK), ast.Constant(START), ast.Load())
    elif resync == "generator":
        thrown = ast.If(ast.Compare(_saved(ast.Load()), [ast.Lt()], [ast.Constant(0)]),
                        [ast.Assign([_saved(ast.Store())], _slot(ast.Load()))], [])
        return [astwalk.locate(statement, where) for statement in (thrown, _recharged(), _charge())]
    else:
        value = ast.BinOp(ast.Name(SAVED, ast.Load()), ast.Add(), ast.Constant(resync))
    return [astwalk.locate(ast.Assign([_slot(ast.Store())], value), where)]


def _saved(ctx: ast.expr_context) -> ast.Name:
    return ast.Name(SAVED, ctx)


def _recharged() -> ast.stmt:
    """``charged = saved + charge``: the count while the generator runs."""
    return ast.Assign([ast.Name(_CHARGED, ast.Store())], ast.BinOp(
        _saved(ast.Load()), ast.Add(), ast.Name(_CHARGE, ast.Load())))


def _charge() -> ast.stmt:
    """``S[0] = charged``."""
    return ast.Assign([_slot(ast.Store())], ast.Name(_CHARGED, ast.Load()))


def _give_back(where: ast.AST) -> list[ast.stmt]:
    """Before a yield: ``S[0] = saved``."""
    return [astwalk.locate(ast.Assign([_slot(ast.Store())], _saved(ast.Load())), where)]


def _guarded(statement: ast.stmt) -> ast.stmt:
    """``try: <yield statement> except: saved = S[0]; charged = ...; raise``: resumed by
    ``throw()`` or ``close()``, the generator runs on at the thrower's count (a try costs
    nothing until an exception; ``saved = SUSPENDED`` before each yield would cost)."""
    handler = ast.ExceptHandler(None, None, [
        ast.Assign([_saved(ast.Store())], _slot(ast.Load())), _recharged(),
        ast.Raise(None, None)])
    return _around(ast.Try([statement], [handler], [], []), statement, statement)


def _entry(where: ast.AST) -> list[ast.stmt]:
    """A generator's entry: ``saved = S[0]; if saved > limit: raise overflow(); charged =
    saved + charge`` (the check is the resumer's: the error is reported there)."""
    return [astwalk.locate(statement, where) for statement in (
        ast.Assign([_saved(ast.Store())], _slot(ast.Load())),
        ast.If(ast.Compare(_saved(ast.Load()), [ast.Gt()], [ast.Name(_LIMIT, ast.Load())]),
               [ast.Raise(ast.Call(_const(_OVERFLOW), [], []), None)], []),
        _recharged())]


def _resume(where: ast.AST) -> list[ast.stmt]:
    """After a yield: ``if S[0] is not saved: <_entry>``, then ``S[0] = charged``. The
    resumer's count is most often the very object given back (each function puts back the
    one it found), checked already: the check and the sum are made once per count."""
    changed = ast.If(ast.Compare(_slot(ast.Load()), [ast.IsNot()], [_saved(ast.Load())]),
                     _entry(where), [])
    return [astwalk.locate(changed, where), astwalk.locate(_charge(), where)]


def _simple(node: ast.expr | None) -> bool:
    """An expression whose evaluation runs no code (a yield may give back before it)."""
    return node is None or isinstance(node, (ast.Name, ast.Constant))


class _Yields(astwalk.Transformer):
    """A generator's yields (its own, not nested scopes'): its bytes given back before
    each, charged again after it (``_give_back``, ``_resume``; kept if a C consumer runs
    it: ``_yielding``). Statements ``yield x``, ``v = yield x`` and ``yield from it``
    inline; yields inside expressions through the ``_GIVE``/``_RESUMED`` helpers and the
    walrus (``saved := SUSPENDED`` while suspended)."""

    def statements(self, body: list[ast.stmt]) -> list[ast.stmt]:
        """``body`` (a generator's) with its yields rewritten."""
        new: list[ast.stmt] = []
        for statement in body:
            out = self.visit(statement)
            new.extend(out if isinstance(out, list) else [out])
        return new

    def visit_FunctionDef(self, node: ast.FunctionDef) -> ast.AST:
        return node

    def visit_AsyncFunctionDef(self, node: ast.AsyncFunctionDef) -> ast.AST:
        return node

    def visit_ClassDef(self, node: ast.ClassDef) -> ast.AST:
        return node

    def visit_Lambda(self, node: ast.Lambda) -> ast.AST:
        return node

    def visit_Expr(self, node: ast.Expr) -> Any:
        return self._statement(node, node.value)

    def visit_Assign(self, node: ast.Assign) -> Any:
        if len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            return self._statement(node, node.value)
        return self.generic_visit(node)

    def _statement(self, node: ast.Expr | ast.Assign, value: ast.expr) -> Any:
        """``yield x``, ``v = yield x``, ``yield from it`` (and ``v = ...``) inline."""
        if isinstance(value, ast.Yield) and _simple(value.value):
            return [_yielding(node)]
        if isinstance(value, ast.Yield) and not _has_yield(value.value):
            first = _around(ast.Assign([ast.Name(_VALUE, ast.Store())], value.value), node,
                            value.value)
            value.value = astwalk.locate(ast.Name(_VALUE, ast.Load()), node)
            return [first, _yielding(node)]
        if isinstance(value, ast.YieldFrom) and not _has_yield(value.value):
            value.value = _delegated(value.value)
            return [node, *_resume(node)]
        return self.generic_visit(node)

    def visit_Yield(self, node: ast.Yield) -> ast.AST:
        self.generic_visit(node)
        given = ast.Call(_const(_GIVE), [node.value or ast.Constant(None), _saved(ast.Load()),
                                         _marked()], [])
        return _after(ast.Yield(_around(given, node, node.value)), node)

    def visit_YieldFrom(self, node: ast.YieldFrom) -> ast.AST:
        self.generic_visit(node)
        return _after(ast.YieldFrom(_delegated(node.value)), node)


def _yielding(node: ast.Expr | ast.Assign) -> ast.stmt:
    """``if consumed: <guarded node> else: <give back>; <guarded node>; <resume>``: a
    generator a C consumer runs to its end (or drops: ``_RESTORE``) keeps its bytes, as
    nothing but the consumer runs between its resumes, whose checks all read what the
    first one read."""
    import copy  # only here: a board's start-up needn't import it

    normal = [*_give_back(node), _guarded(node), *_resume(node)]
    branch = ast.If(ast.Name(_CONSUMED, ast.Load()), [_guarded(copy.deepcopy(node))], normal)
    ast.copy_location(branch.test, node)
    return ast.copy_location(branch, node)


def _has_yield(node: ast.AST | None) -> bool:
    return node is not None and any(
        isinstance(n, (ast.Yield, ast.YieldFrom)) for n in astwalk.walk(node))


def _marked() -> ast.NamedExpr:
    """``(saved := SUSPENDED)``: an argument evaluated after the ones before it."""
    return ast.NamedExpr(_saved(ast.Store()), ast.Constant(SUSPENDED))


def _delegated(value: ast.expr) -> ast.expr:
    """``_DELEGATE(value, saved, charge, (saved := SUSPENDED))``: ``yield from``'s operand."""
    call = ast.Call(_const(_DELEGATE), [value, _saved(ast.Load()),
                                        ast.Name(_CHARGE, ast.Load()), _marked()], [])
    return _around(call, value, value)


def _after(yielded: ast.expr, where: ast.AST) -> ast.expr:
    """``(<yield>, (saved := _RESUMED(limit, charge)), (charged := saved + charge))[0]``:
    a yield inside an expression."""
    resumed = ast.NamedExpr(_saved(ast.Store()), ast.Call(
        _const(_RESUMED), [ast.Name(_LIMIT, ast.Load()), ast.Name(_CHARGE, ast.Load())], []))
    charged = ast.NamedExpr(ast.Name(_CHARGED, ast.Store()), ast.BinOp(
        _saved(ast.Load()), ast.Add(), ast.Name(_CHARGE, ast.Load())))
    pair = ast.Tuple([yielded, resumed, charged], ast.Load())
    return _around(ast.Subscript(pair, ast.Constant(0), ast.Load()), where, yielded.value)


def _charged(node: ast.expr, cost: int, enter: str) -> ast.expr:
    """``_out(cost, _in(cost)... )``: ``_out(_in(cost), node)``, located at ``node``."""
    inner = ast.Call(_const(enter), [ast.Constant(cost)], [])
    call = ast.Call(_const(_OUT), [inner, node], [])
    for part in (call, call.func, inner, inner.func, inner.args[0]):
        ast.copy_location(part, node)
    return call


def _around(node: ast.AST, where: ast.AST, user: ast.AST | None) -> Any:
    """``node`` at ``where``'s location, but for the user's code ``user`` inside it."""
    parts = [node]
    while parts:
        part = parts.pop()
        if part is user:
            continue
        if "lineno" in part._attributes:
            ast.copy_location(part, where)
        parts.extend(astwalk.children(part))
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


# While ``apply`` runs: each function's own nodes, found once (``_walk_scope``). A scope's
# facts (generator, leaf, star calls, the names it binds) are all read before its body is
# rewritten, so one list serves them all; five walks of every function were a third of
# the compile time of a long program (issue 17).
_scopes: dict[int, tuple[ast.AST, list[ast.AST]]] | None = None
_NESTED = (*_FUNCTIONS, ast.Lambda, ast.ClassDef)


def _walk_scope(node: ast.AST) -> list[ast.AST]:
    """Nodes of ``node``'s own scope (not inside nested functions, lambdas or classes;
    not constants, contexts or operators)."""
    if _scopes is None:
        return _scope_nodes(node)
    known = _scopes.get(id(node))
    if known is not None and known[0] is node:
        return known[1]
    found = _scope_nodes(node)
    _scopes[id(node)] = (node, found)
    return found


def _scope_nodes(node: ast.AST) -> list[ast.AST]:
    """All but constants, contexts and operators: nothing a scope's facts look for."""
    found: list[ast.AST] = []
    stack: list[ast.AST] = list(_own_children(node))
    while stack:
        child = stack.pop()
        found.append(child)
        if not isinstance(child, _NESTED):
            stack.extend(part for part in astwalk.children(child)
                         if part.__class__ not in astwalk.NAMELESS)
    return found


# What makes a function no leaf: each may run a frame that checks the stack below it (a
# call, a comprehension's function, a class body, ``__enter__``, mp_iternext in a ``for``,
# an exception's constructor, mp_obj_print_helper under ``%``, an imported module's code).
_NOT_LEAF = (ast.Call, ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp, ast.For,
             ast.AsyncFor, ast.With, ast.AsyncWith, ast.ClassDef, ast.Raise, ast.Assert,
             ast.JoinedStr, ast.Await, ast.Yield, ast.YieldFrom, ast.Import, ast.ImportFrom)


def _is_leaf(node: ast.AST) -> bool:
    """A function that calls nothing: its frame needs the check but no charge, as no check
    runs while it does (the charge and its give-back were a third of a small method's
    time). An operator or attribute that calls a method of the user's (``__add__``, a
    property) is the exception let go: at the very limit it may go one frame deeper."""
    for child in _walk_scope(node):
        if isinstance(child, _NOT_LEAF) or (isinstance(child, ast.BinOp)
                                            and isinstance(child.op, ast.Mod)):
            return False
    return True


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
        names.update(n.id for n in astwalk.walk(generator.target) if isinstance(n, ast.Name))
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


def _own_parts(node: ast.AST) -> list[ast.AST]:
    """What ``node``'s own frame evaluates: all of it, but a comprehension's first
    iterable, which is evaluated outside and passed in."""
    generators = getattr(node, "generators", None)
    if not generators:
        return [node]
    parts: list[ast.AST] = [*generators[1:], generators[0].target, *generators[0].ifs]
    return parts + [getattr(node, f) for f in ("elt", "key", "value") if hasattr(node, f)]


def _is_closure(node: ast.AST, outer: Outer) -> bool:
    """Whether ``node`` reads a name an enclosing function (or comprehension) binds."""
    if not outer:
        return False
    enclosing = frozenset().union(*outer)
    own = _bound_names(node)
    parts = _own_parts(node)
    return any(isinstance(n, ast.Name) and n.id in enclosing and n.id not in own
               for part in parts for n in astwalk.walk(part))


def _free_count(node: ast.AST, outer: Outer) -> int:
    """How many names ``node`` closes over (each a local of its frame, py/objclosure.c)."""
    if not outer or not isinstance(node, (*_FUNCTIONS, ast.Lambda, *_COMPREHENSIONS,
                                          ast.GeneratorExp)):
        return 0
    enclosing = frozenset().union(*outer)
    own = _bound_names(node)
    parts = _own_parts(node)
    free = {n.id for part in parts for n in astwalk.walk(part)
            if isinstance(n, ast.Name) and n.id in enclosing and n.id not in own}
    free.update(n for part in parts for child in astwalk.walk(part)
                if isinstance(child, ast.Nonlocal) for n in child.names)
    return len(free)


def _hand_generators(node: ast.Call, generators: frozenset[str]) -> bool:
    """``list(g(n))``, ``''.join(g(n))``…: a generator the consumer starts finds its C
    frames below it (as a generator expression's charge counts them), passed on at run
    time (``_HAND``) if the argument, a call of a name the program defines a generator
    function as, turns out to be a new generator of the user's."""
    func = node.func
    if not ((isinstance(func, ast.Attribute) and func.attr == "join") or (
            isinstance(func, ast.Name) and func.id in CONSUMERS and func.id not in _LAZY_C)):
        return False
    below = ast.Constant(GENERATOR_CONSUMER - GENERATOR)
    handed = False
    for i, arg in enumerate(node.args):
        if isinstance(arg, ast.Call) and _callee_name(arg.func) in generators:
            node.args[i] = _around(ast.Call(_const(_HAND), [arg, below], []), arg, arg)
            handed = True
    return handed


def _callee_name(func: ast.expr) -> str | None:
    """``g`` of ``g(...)`` or ``obj.g(...)``."""
    if isinstance(func, ast.Name):
        return func.id
    return func.attr if isinstance(func, ast.Attribute) else None


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
