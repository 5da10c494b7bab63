"""Running out of heap where the device does: the big allocations checked against it.

The V1 has about 10 KB of GC heap (the V2 64 KB); ``[0] * 5000`` asks for 20000 bytes and
the firmware raises ``MemoryError: memory allocation failed, allocating 20000 bytes``.
Here the allocations that can be big are compiled into calls of the board's builtins,
which size the request as MicroPython 1.9.2 does and refuse it when it doesn't fit:

- repetition with a literal operand (``[0] * n``, ``'x' * n``, ``b'.' * n``, ``(0,) * n``)
  and concatenation that accumulates (``s = s + t``, ``s += t``; a ``+`` with a number
  written in it is left alone): a list's items take 4 bytes each (``list_new``, at least
  4 items), a str or bytes its length plus a NUL (``vstr_init_len``), a tuple 8 + 4 per
  item; ``+=`` on a list moves its items to a block for both lists and 4 items more
  (``list_extend``);
- a list comprehension's result and ``list(iterable)``: built by appending, which doubles
  the items from 4 (``mp_obj_list_append``), so 5000 items fail asking for 16384 bytes;
- ``bytearray(n)``: n bytes (``bytes(n)`` is left alone: tests/sim/test_files.py fills
  the V1's flash with ``bytes(30000)``, a MemoryError on the device).

A request fails when its 16-byte blocks (and the object's own block) exceed the free
heap that ``gc.mem_free()`` reports (``modules/gc.py``: what the program holds, its
code) less ``FRAGMENTED`` bytes. The device's free heap is never one piece: the
compiled code sits inside it and the conservative GC keeps blocks that a stale pointer
on the C stack still names. Neither can be reproduced exactly (a V1 program that just
made and dropped a 4000-byte string may or may not get 8000 bytes next), so two
approximations stand in: ``FRAGMENTED`` (fitted with the firmware under QEMU: the
largest block a fresh V1 program gets lies 350-850 bytes below the model's free figure;
640 since that figure charges the code as the V1 compiles it, ``compilememory``),
and the last big allocation counting as held for a while after the program drops it,
until the next big allocation or ``gc.collect()`` (a growing series such as
``[0] * 1000``, then ``[0] * 2000``, fails on the V1: fidelity programs 182, 183).

A count that doesn't fit a machine word is refused before anything is sized, as the
firmware reads it (a 32-bit ``mp_int_t``): ``'a' * 2**31`` and ``1 << 2**64`` raise
``OverflowError: overflow converting long int to machine word`` (firmware-v2-observed 055;
py/objstr.c and py/objlist.c take the count with ``mp_obj_get_int_maybe``, py/objint_mpz.c a
shift's with ``mp_obj_int_get_checked``; the word is ``machineword``'s). A repetition of a
literal checks it as it runs; a shift only where the count is written as a constant
(``2**64``): checking every shift would slow arithmetic everywhere, so a computed count
keeps CPython's MemoryError. ``range()`` checks its arguments too, computed or not
(``mpsemantics``: py/objrange.c takes them with ``mp_obj_get_int``).

Smaller requests (under ``SMALL`` bytes) are never refused and appends, ``join``,
``format`` and the like are not checked, so a program that fills the heap with many
small objects runs further here than on the device. ``UBIT_HEAP_MODEL=0`` turns the
model off (nothing compiled in). The free figure is walked (``gc``'s model) only when a
request could fail: up to ``REWALK`` requests pass on the last walk's figure less what
was granted since and is still held, so a loop making big lists doesn't walk the heap
each time.
"""

from __future__ import annotations

import ast
import os
from sys import getrefcount

from ubit.sim.board.board import Board
from ubit.sim.micropython import astwalk
from ubit.sim.micropython.boundary import api
from ubit.sim.micropython.machineword import beyond_word, word
from ubit.sim.shared.boards import BoardSpec
from ubit.sim.shared.typenames import Any

BLOCK = 16
FRAGMENTED = 640  # bytes of the free heap not available in one piece (see above)
SMALL = 512  # requests below this many bytes are never refused
REWALK = 64  # big allocations granted on the last walk's figure before walking again
LIST_MIN_ALLOC = 4  # py/objlist.c: a list's items start with room for 4
MESSAGE = "memory allocation failed, allocating {} bytes"

# The builtins the compiled checks call (installed by ``install``).
MUL, ADD, IADD, GROWN, LIST, BUFFER = ("__mp_heapmul__", "__mp_heapadd__", "__mp_heapiadd__",
                                       "__mp_heapgrown__", "__mp_heaplist__",
                                       "__mp_heapbuffer__")
SHIFT = "__mp_wordshift__"
READ = "heapmodel.read_all"  # the board's module state holding the check of a file's read()
READ_STEP = 256  # py/stream.c DEFAULT_BUFFER_SIZE (1.9.2 and 1.18)

_SEQUENCES = frozenset({str, bytes, list, tuple, bytearray})
_SIZED = (list, tuple, range, str, bytes, bytearray, dict, set, frozenset)
_NUMERIC_CALLS = frozenset({"len", "int", "float", "abs", "ord", "round", "hash"})
_NUMERIC_OPS = (ast.Sub, ast.Div, ast.FloorDiv, ast.Pow, ast.BitAnd, ast.BitOr, ast.BitXor,
                ast.LShift, ast.RShift)


def enabled(spec: BoardSpec) -> bool:
    """Whether programs for ``spec`` are compiled with heap checks (``UBIT_HEAP_MODEL=0``:
    no)."""
    return spec.heap_total > 0 and os.environ.get("UBIT_HEAP_MODEL", "1") not in (
        "0", "off", "no", "false")


def compiling_checked(spec: BoardSpec) -> bool:
    """Whether compiling on ``spec`` is checked against its heap (``compilememory``: the
    V1, whose compiler works in the program's heap)."""
    return spec.small_heap_compiler and enabled(spec)


def request(kind: type, items: int) -> int:
    """Bytes MicroPython 1.9.2 asks the heap for to hold ``items`` of a ``kind``."""
    if kind is list:
        return 4 * max(items, LIST_MIN_ALLOC)
    if kind is tuple:
        return 8 + 4 * items
    if kind is bytearray:
        return items
    return items + 1  # str, bytes: the text and a NUL


def growth(items: int) -> list[int]:
    """The requests of a list reaching ``items`` by appends (each doubles its room)."""
    steps, alloc = [], LIST_MIN_ALLOC
    while alloc < items:
        alloc *= 2
        steps.append(4 * alloc)
    return steps


# ---------------------------------------------------------------------------------------
# What the compiled checks call


def make_checks(board: Board) -> dict[str, Any]:
    """The builtins the compiled checks call, refusing what ``board``'s heap can't hold."""
    from ubit.sim.micropython.modules.gc import heap_of

    heap = heap_of(board)
    recent = heap.recent  # [the last big allocation, its bytes]
    ceiling = board.spec.heap_total - FRAGMENTED
    sequences, real_list, real_bytearray, small = _SEQUENCES, list, bytearray, SMALL

    walked = [0]  # the free heap in one piece at the last walk
    granted = [REWALK]  # big allocations granted since (REWALK: walk)
    # those of them the program may still hold: one it has dropped can't be held again
    # (nothing but these lists refers to it), so it is taken out when found dropped
    objects: list[Any] = []
    sizes: list[int] = []
    big_steps: dict[int, list[int]] = {}  # a list's growth steps that can fail, by its length

    def pinned() -> int:
        """The bytes of the last big allocation if the program has dropped it."""
        if recent[0] is None:
            return 0
        ours = 2 + (bool(objects) and objects[-1] is recent[0])  # recent, the argument
        return recent[1] if getrefcount(recent[0]) <= ours else 0

    def fits(need: int, reused: int = 0) -> bool:
        """Whether ``need`` bytes fit in one piece (``reused``: bytes of them the model
        counts as held already). Walking what the program holds costs, so a request that
        fits in what the last walk found, less what was granted since and is still held,
        passes without one (a refusal is always walked)."""
        if need > ceiling:
            return False
        dropped = pinned()
        if granted[0] < REWALK:
            held = 0
            i = 0
            while i < len(objects):  # still held: more references than ours
                if getrefcount(objects[i]) > 2 + (objects[i] is recent[0]):
                    held += sizes[i]
                    i += 1
                else:
                    del objects[i], sizes[i]
            if need + dropped + held <= walked[0] + reused:
                return True
        walked[0] = heap.figures()[2] - FRAGMENTED
        objects.clear()
        sizes.clear()
        granted[0] = 0
        return need + pinned() <= walked[0] + reused  # objects cleared: counted anew

    @api
    def refuse(nbytes: int, reused: int = 0) -> int:
        """A MemoryError, as the firmware words it, if ``nbytes`` don't fit; else the bytes
        taken (with the object's own block)."""
        need = (-(-nbytes // BLOCK) + 1) * BLOCK
        if not fits(need, reused):
            raise MemoryError(MESSAGE.format(nbytes))
        return need

    @api
    def refuse_growth(items: int) -> int:
        """The first append-growth step of a list of ``items`` that doesn't fit; else the
        bytes of the last step."""
        steps = big_steps.get(items)
        if steps is None:
            steps = [nbytes for nbytes in growth(items) if nbytes >= small]
            if len(big_steps) < 256:  # a loop makes the same few lengths again and again
                big_steps[items] = steps
        return refuse_steps(steps)

    def refuse_steps(steps: list[int]) -> int:
        """The first of a block's growth ``steps`` that doesn't fit; else the bytes of the
        last (each grows the one before in place: the last asks the most)."""
        if not steps:
            return 0
        need = (-(-steps[-1] // BLOCK) + 1) * BLOCK
        if fits(need):
            return need
        free = available_now()
        for nbytes in steps:
            if (-(-nbytes // BLOCK) + 1) * BLOCK > min(free, ceiling):
                raise MemoryError(MESSAGE.format(nbytes))
        raise MemoryError(MESSAGE.format(steps[-1]))

    def available_now() -> int:
        """The free heap in one piece, walked (an earlier growth step failing)."""
        return heap.figures()[2] - FRAGMENTED - pinned()

    def made(obj: Any, need: int) -> Any:
        recent[0], recent[1] = obj, need
        if objects and objects[-1] is obj:  # a list grown again by +=
            sizes[-1] = need
        else:
            objects.append(obj)
            sizes.append(need)
            granted[0] += 1
        return obj

    def check_made(obj: Any) -> Any:
        nbytes = request(obj.__class__, len(obj))
        return made(obj, refuse(nbytes)) if nbytes >= small else obj

    def mul(a: Any, b: Any) -> Any:
        """``a * b`` where one side is a literal sequence."""
        if a.__class__ in sequences and b.__class__ is int:
            nbytes = request(a.__class__, len(a) * word(b))
        elif b.__class__ in sequences and a.__class__ is int:
            nbytes = request(b.__class__, len(b) * word(a))
        else:
            return a * b
        if nbytes < small:
            return a * b
        need = refuse(nbytes)  # before CPython builds it: it may not fit the host either
        return made(a * b, need)

    def add(a: Any, b: Any) -> Any:
        """``a + b``: a new sequence holding both."""
        obj = a + b
        if obj.__class__ in sequences and len(obj) > 127:
            return check_made(obj)
        return obj

    def iadd(a: Any, b: Any) -> Any:
        """``a += b``: a list moves to a block for both and 4 more items (``list_extend``;
        the new block can't follow the old one when ``b`` was just made), others are new."""
        if a.__class__ is real_list and b.__class__ is real_list:
            nbytes = 4 * (len(a) + len(b) + LIST_MIN_ALLOC)
            if nbytes < small:
                a += b
                return a
            # a list made for this statement is held too, though no variable names it
            temp = (-(-4 * len(b) // BLOCK) + 1) * BLOCK if getrefcount(b) <= 2 else 0
            need = refuse(nbytes, -temp)
            a += b
            return made(a, need)
        a += b
        if a.__class__ in sequences and len(a) > 127:
            return check_made(a)
        return a

    def grown(obj: Any) -> Any:
        """A list comprehension's result, grown by appends."""
        if obj.__class__ is real_list and len(obj) > 64:
            return made(obj, refuse_growth(len(obj)))
        return obj

    def make_list(callee: Any, iterable: Any) -> Any:
        """``list(iterable)``: checked before for sized iterables, after for the rest."""
        if callee is not real_list:
            return callee(iterable)
        if isinstance(iterable, _SIZED) and len(iterable) > 64:
            need = refuse_growth(len(iterable))
            return made(callee(iterable), need)
        return grown(callee(iterable))

    @api
    def read_all(data: Any, nbytes: int) -> Any:
        """``data``, a file's ``read()`` of all its ``nbytes`` left: 1.9.2 py/stream.c
        ``stream_readall`` reads into a buffer of ``DEFAULT_BUFFER_SIZE`` (256) bytes and
        extends it by 256 (``vstr_extend``) each time a read fills it, so n bytes end in
        a block of ``(n // 256 + 1) * 256`` (9000 bytes fail asking for 8704 on the V1)."""
        last = (nbytes // READ_STEP + 1) * READ_STEP
        if last < small:
            return data
        first = -(-small // READ_STEP) * READ_STEP
        return made(data, refuse_steps(list(range(first, last + 1, READ_STEP))))

    board.module_state(READ, lambda: [None])[0] = read_all  # for api/files.py

    def buffer(callee: Any, size: Any) -> Any:
        """``bytearray(n)``: n zero bytes."""
        if callee is real_bytearray and size.__class__ is int and size >= small:
            return made(callee(size), refuse(size))
        return callee(size)

    return {MUL: mul, ADD: add, IADD: iadd, GROWN: grown, LIST: make_list, BUFFER: buffer,
            SHIFT: shift}


def shift(value: Any, count: Any, left: bool) -> Any:
    """``value << count`` (``>>`` if not ``left``) for a constant count beyond a machine word:
    an int refuses it (py/objint_mpz.c), another type has its own say."""
    if isinstance(value, int) and count.__class__ is int:
        word(count)
    return value << count if left else value >> count


def read_check(board: Board) -> Any:
    """The check of a file's whole ``read()`` on ``board`` (None: no heap model there)."""
    found = board.module_states.get(READ)
    return found[0] if found is not None and enabled(board.spec) else None


def install(names: dict[str, Any], board: Board) -> None:
    """Put the checks among ``board``'s builtins (compiled code calls them by name)."""
    names.update(make_checks(board))


# ---------------------------------------------------------------------------------------
# Compiling the checks in


def apply(tree: ast.AST) -> None:
    """Put the checks into ``tree`` (in place), after the other models' passes."""
    _Pass(_numeric_names(tree)).visit(tree)


def _numeric_names(tree: ast.AST) -> frozenset[str]:
    """Names the program sets to a number somewhere (``total = 0``): their ``+=`` adds up
    numbers, not sequences."""
    found = set()
    for node in astwalk.statements(tree):
        if isinstance(node, ast.Assign) and _numeric(node.value):
            found.update(t.id for t in node.targets if isinstance(t, ast.Name))
        elif isinstance(node, ast.AugAssign) and isinstance(node.target, ast.Name) and \
                _numeric(node.value):
            found.add(node.target.id)
    return frozenset(found)


def _call(name: str, where: ast.AST, *args: ast.expr) -> ast.Call:
    func = ast.Name(name, ast.Load())
    call = ast.Call(func, list(args), [])
    ast.copy_location(func, where)
    return ast.copy_location(call, where)


def _literal_sequence(node: ast.expr) -> bool:
    if isinstance(node, (ast.List, ast.Tuple, ast.ListComp)):
        return True
    return isinstance(node, ast.Constant) and isinstance(node.value, (str, bytes))


def _numeric(node: ast.expr) -> bool:
    """Whether ``node`` is plainly a number (its ``+`` makes no sequence)."""
    if isinstance(node, ast.Constant):
        return type(node.value) in (int, float, complex, bool)
    if isinstance(node, ast.UnaryOp):
        return not isinstance(node.op, ast.Not) and _numeric(node.operand)
    if isinstance(node, ast.BinOp):
        if isinstance(node.op, _NUMERIC_OPS):
            return True
        if isinstance(node.op, ast.Add):
            return _numeric(node.left) or _numeric(node.right)
        return _numeric(node.left) and _numeric(node.right)
    if isinstance(node, ast.Call):
        return isinstance(node.func, ast.Name) and node.func.id in _NUMERIC_CALLS
    return False


def _added_names(node: ast.BinOp) -> set[str]:
    """The names added up in a chain of ``+``."""
    found: set[str] = set()
    while isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        for part in (node.left, node.right):
            if isinstance(part, ast.Name):
                found.add(part.id)
        node = node.left  # type: ignore[assignment]
    return found


def _one_argument(node: ast.Call) -> bool:
    return len(node.args) == 1 and not node.keywords and \
        not isinstance(node.args[0], ast.Starred)


class _Pass(astwalk.Transformer):
    """Rewrites the allocations that can be big into calls of the checks."""

    def __init__(self, numeric: frozenset[str]) -> None:
        self.numeric = numeric

    def visit_BinOp(self, node: ast.BinOp) -> ast.expr:
        """Repetition of a literal sequence."""
        self.generic_visit(node)
        if isinstance(node.op, ast.Mult) and (_literal_sequence(node.left)
                                              or _literal_sequence(node.right)):
            return _call(MUL, node, node.left, node.right)
        if isinstance(node.op, (ast.LShift, ast.RShift)) and beyond_word(node.right):
            left = ast.copy_location(ast.Constant(isinstance(node.op, ast.LShift)), node)
            return _call(SHIFT, node, node.left, node.right, left)
        return node

    def visit_Assign(self, node: ast.Assign) -> ast.stmt:
        """``name = name + x`` (or ``x + name``): a sequence growing by concatenation.

        Other ``+`` keep CPython's operator: checking every one would slow arithmetic
        and string building everywhere, and what runs out of heap is what accumulates.
        """
        self.generic_visit(node)
        value = node.value
        if len(node.targets) == 1 and isinstance(node.targets[0], ast.Name) and \
                isinstance(value, ast.BinOp) and isinstance(value.op, ast.Add) and \
                not (_numeric(value.left) or _numeric(value.right)) and \
                node.targets[0].id not in self.numeric and \
                node.targets[0].id in _added_names(value):
            node.value = _call(ADD, value, value.left, value.right)
        return node

    def visit_AugAssign(self, node: ast.AugAssign) -> ast.stmt:
        """``name += value`` (other targets keep CPython's ``+=``)."""
        self.generic_visit(node)
        if not (isinstance(node.op, ast.Add) and isinstance(node.target, ast.Name)) \
                or _numeric(node.value) or node.target.id in self.numeric:
            return node
        load = ast.copy_location(ast.Name(node.target.id, ast.Load()), node.target)
        store = ast.copy_location(ast.Name(node.target.id, ast.Store()), node.target)
        return ast.copy_location(ast.Assign([store], _call(IADD, node, load, node.value)),
                                 node)

    def visit_ListComp(self, node: ast.ListComp) -> ast.expr:
        """A comprehension's result list."""
        self.generic_visit(node)
        return _call(GROWN, node, node)

    def visit_Call(self, node: ast.Call) -> ast.expr:
        """``list(x)`` and ``bytearray(n)``."""
        self.generic_visit(node)
        func = node.func
        if isinstance(func, ast.Name) and _one_argument(node):
            if func.id == "list":
                return _call(LIST, node, func, node.args[0])
            if func.id == "bytearray":
                return _call(BUFFER, node, func, node.args[0])
        return node

