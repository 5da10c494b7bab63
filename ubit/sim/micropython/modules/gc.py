"""``gc`` (reference §27, §1.1) and the heap model behind ``mem_free``/``mem_info``.

The board's GC heap is modelled, not measured: the figures start at the board
spec's (V1: 10048 total, 9776 free at the start of main.py; V2: 64512 and
63984) and move with what the program holds, sized as MicroPython stores it
on a 32-bit chip in 16-byte blocks (a list is a 16-byte object plus 4 bytes
per item, a ``bytearray(102)`` costs 128 bytes, small ints and V1 floats cost
nothing). The program's own compiled code counts too, sized as the V1's compiler makes
it (``compilememory.retained``: each scope's bytecode, the names it interned, its long
strings; for main.py also its parse tree, which main.c's frame keeps from the GC while
main.py runs), so a long program starts with less free memory, as on the device: on the
21 program shapes of tests/sim/test_compile_memory.py, ``gc.mem_free()`` is within ~100
bytes of the V1 firmware's for most, ~900 for the farthest (comprehensions).

What counts is what the user's code can reach now (its frames, globals and
modules), so dropping a big list and calling ``gc.collect()`` gives the
memory back. Garbage is not modelled: memory comes back as soon as nothing
refers to it, as if the device collected at once.
"""

from __future__ import annotations

import ast
import sys
import types

from ubit.sim.board.board import Board
from ubit.sim.micropython.boundary import c_function
from ubit.sim.micropython.f32 import board_float
from ubit.sim.micropython.modulefiles import module_file
from ubit.sim.micropython.modules.struct import SMALL_INT_MAX, SMALL_INT_MIN, to_int
from ubit.sim.micropython.tracebacks import is_user_file
from ubit.sim.shared import compilememory
from ubit.sim.shared.typenames import Any

BLOCK = 16
# MicroPython's hash table sizes (py/map.c): tables grow through these, full before growing
HASH_SIZES = (0, 2, 4, 6, 8, 10, 12, 17, 23, 29, 37, 47, 59, 73, 97, 127, 167, 223, 293, 389,
              521, 691, 919, 1223, 1627, 2161, 3229, 4831, 7243, 10861, 16273, 24407, 36607)
MINIMAL_PROGRAM = "import gc\nprint(gc.mem_free())\n"  # the spec's free figure: after it
EMPTY_MAIN_BLOCKS = 2  # main's namespace at start ({__name__, __builtins__}): in the spec
MAX_OBJECTS = 200_000  # a program this big is far past a real heap; stop counting
_CLASS_NOISE = {"__module__", "__qualname__", "__dict__", "__weakref__", "__doc__"}


def blocks(nbytes: float) -> int:
    """16-byte blocks for an allocation of ``nbytes``."""
    return -(-int(nbytes) // BLOCK) if nbytes > 0 else 0


def table_slots(used: int) -> int:
    """Slots of a MicroPython hash table holding ``used`` entries."""
    for size in HASH_SIZES:
        if size >= used:
            return size
    return used


class Heap:
    """The modelled GC heap of one device (``device.part("heap", ...)``)."""

    def __init__(self, board: Board) -> None:
        self.board = board
        self.enabled = True
        self.threshold = -1
        self.locked = 0
        self._code: dict[tuple[str, int], tuple[list[int], set[Any]]] = {}
        # the last big allocation the heap model checked and its bytes: dropped, it still
        # takes its blocks until the next big one or gc.collect() (ubit/sim/micropython/
        # heapmodel.py: the device's conservative GC keeps it for a stale pointer)
        self.recent: list[Any] = [None, 0]

    def figures(self) -> tuple[int, int, int, list[int]]:
        """(total, used, free) in bytes and every allocation's size in blocks."""
        spec = self.board.spec
        code, literals = self.code_allocations()
        allocations = code + data_allocations(self.board, literals)
        grown = sum(allocations) - EMPTY_MAIN_BLOCKS
        used = min(spec.heap_total, spec.heap_total - spec.heap_free_at_start + BLOCK * grown)
        return spec.heap_total, used, spec.heap_total - used, allocations

    def code_allocations(self) -> tuple[list[int], set[Any]]:
        """The compiled code of main.py and the modules imported from the filesystem,
        and the string literals written in them."""
        files = ["main.py"] + [module_file(self.board, m) or "" for m in
                               self.board.modules.values()]
        found: list[int] = []
        literals: set[Any] = set()
        for name in dict.fromkeys(files):
            source = self.board.files.get(name)
            if source is None:
                continue
            key = (name, hash(source))
            if key not in self._code:
                self._code[key] = code_cost(source, name == "main.py",
                                            self.board.spec.small_heap_compiler)
            found += self._code[key][0]
            literals |= self._code[key][1]
        return found, literals


def code_cost(source: bytes, is_main: bool, keeps_tree: bool) -> tuple[list[int], set[Any]]:
    """Block sizes of what compiling one file leaves on the heap, and its string literals
    (part of that on the device, so not counted again as data); ``keeps_tree``: main.py's
    parse tree stays referenced while it runs (the V1's small-heap compiler never frees it;
    1.18's does)."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return [], set()
    literals = {node.value for node in ast.walk(tree)
                if isinstance(node, ast.Constant) and isinstance(node.value, (str, bytes))}
    try:
        kept = [blocks(size) for size in
                compilememory.retained(tree, running=is_main and keeps_tree)]
    except RecursionError:  # nested past the walk: charged by its length instead
        kept = [blocks(len(source) * 2)]
    if is_main:  # the spec's free figure is after a minimal program's code: less that
        left = sum(map(blocks, compilememory.retained(ast.parse(MINIMAL_PROGRAM), keeps_tree)))
        for i, size in enumerate(kept):
            kept[i], left = max(0, size - left), max(0, left - size)
    return [size for size in kept if size], literals


def data_allocations(board: Board, literals: set[Any]) -> list[int]:
    """Block sizes of everything the user's code can reach."""
    roots: list[Any] = []
    frame = sys._getframe(1)
    while frame is not None:
        if is_user_file(frame.f_code.co_filename):
            roots.append(frame.f_globals)
            if frame.f_locals is not frame.f_globals:  # a function's locals live on the stack
                roots += [v for v in frame.f_locals.values() if v is not frame.f_globals]
        frame = frame.f_back
    static: set[int] = set()
    user_modules = {"__main__"}
    for name, module in list(board.modules.items()):
        if module_file(board, module) is not None:
            roots.append(module)
            user_modules.add(name)
        else:  # built-in modules live in flash on the device
            for value in vars(module).values():
                static.add(id(value))
                if isinstance(value, type):
                    static.update(id(v) for v in vars(value).values())
    walker = Walker(board.spec.floats_in_word, static, user_modules, literals)
    return walker.sizes(roots, limit=board.spec.heap_total // BLOCK)


class Walker:
    """Finds the objects reachable from the roots and sizes them as MicroPython would."""

    def __init__(self, floats_in_word: bool, static: set[int], user_modules: set[str],
                 literals: set[Any]) -> None:
        self.floats_in_word = floats_in_word
        self.atoms = frozenset({bool, type(None)} | (
            {float, board_float(True)} if floats_in_word else set()))  # board floats: f32.py
        self.static = static
        self.user_modules = user_modules
        # strings written in the code are part of it on the device, not extra heap (what
        # CPython folds, such as 'ab' * 50, the device builds at run time: not listed)
        self.literals = literals

    def sizes(self, roots: list[Any], limit: int) -> list[int]:
        """Every reachable allocation's size in blocks (stopping past ``limit`` blocks:
        such a program would have run out of memory on the device)."""
        seen: set[int] = set()
        found: list[int] = []
        total, stack = 0, list(roots)
        static, literals, size_of, children = self.static, self.literals, self.size, \
            self.children
        while stack and len(seen) < MAX_OBJECTS and total <= limit:
            obj = stack.pop()
            key = id(obj)
            if key in seen or key in static:
                continue
            seen.add(key)
            kind = type(obj)
            if kind is str or kind is bytes:  # the commonest (``size``'s sizes, no children)
                if obj and obj not in literals:
                    text = -(-(len(obj) + 1) // BLOCK)
                    found += (1, text)
                    total += 1 + text
                continue
            size = size_of(obj)
            found += size
            total += sum(size)
            stack += children(obj)
        return found

    def children(self, obj: Any) -> list[Any]:
        """What ``obj`` refers to that may be on the heap too."""
        if isinstance(obj, (list, tuple, set, frozenset)):
            # what takes no heap is left out here: long lists of small ints walk fast
            atoms, low, high = self.atoms, SMALL_INT_MIN, SMALL_INT_MAX
            return [v for v in obj if v.__class__ not in atoms
                    and not (v.__class__ is int and low <= v <= high)]
        if isinstance(obj, dict):
            # identifier keys are qstrs; __name__ and the like are part of the firmware
            return [v for k, v in obj.items() if not _dunder(k)] + \
                   [k for k in obj if not (isinstance(k, str) and k.isidentifier())]
        if isinstance(obj, types.FunctionType):
            if not is_user_file(obj.__code__.co_filename):
                return []
            cells = [c.cell_contents for c in obj.__closure__ or () if _filled(c)]
            return [*(obj.__defaults__ or ()), *(obj.__kwdefaults__ or {}).values(), *cells]
        if isinstance(obj, types.MethodType):
            return [obj.__self__, obj.__func__]
        if isinstance(obj, types.ModuleType):
            return [vars(obj)] if obj.__name__ in self.user_modules else []
        if isinstance(obj, type):
            return [v for k, v in vars(obj).items() if k not in _CLASS_NOISE] \
                if self.user_class(obj) else []
        if isinstance(obj, BaseException):
            return list(obj.args)
        if self.user_class(type(obj)):
            return list(getattr(obj, "__dict__", {}).values())
        return []

    def user_class(self, cls: type) -> bool:
        """Whether ``cls`` was defined by the user's code (main.py or a module file)."""
        return getattr(cls, "__module__", None) in self.user_modules

    def size(self, obj: Any) -> list[int]:
        """The blocks ``obj`` itself takes (its parts are sized separately)."""
        kind = type(obj)
        if obj is None or kind is bool:
            return []
        if kind is int:
            if SMALL_INT_MIN <= obj <= SMALL_INT_MAX:
                return []  # small ints live in the object pointer
            return [1, blocks(2 * -(-obj.bit_length() // 16))]
        if kind is float or isinstance(obj, float):
            return [] if self.floats_in_word else [1]  # V1 packs floats into the pointer
        if kind in (str, bytes):
            return [1, blocks(len(obj) + 1)] if obj else []
        if kind is bytearray:
            return [1, blocks(len(obj))]
        if isinstance(obj, tuple):
            return [blocks(8 + 4 * len(obj))]
        if isinstance(obj, list):
            return [1, blocks(4 * len(obj))]
        if isinstance(obj, dict):
            return [1, blocks(8 * table_slots(len(obj)))]
        if isinstance(obj, (set, frozenset)):
            return [1, blocks(4 * table_slots(len(obj)))]
        if isinstance(obj, types.FunctionType):
            return [1] if is_user_file(obj.__code__.co_filename) else []
        if isinstance(obj, (types.MethodType, range, slice)):
            return [1]
        if isinstance(obj, types.GeneratorType):
            return [4]
        if isinstance(obj, types.ModuleType):
            return []
        if isinstance(obj, type):  # the type object and its methods' table
            entries = sum(k not in _CLASS_NOISE for k in vars(obj)) + 2  # + module, qualname
            return [5, 1, blocks(8 * table_slots(entries))] if self.user_class(obj) else []
        if self.user_class(kind):
            return [1, blocks(8 * table_slots(len(getattr(obj, "__dict__", {}))))]
        try:
            return [1, blocks(memoryview(obj).nbytes)]  # arrays and other buffers
        except TypeError:
            return [1]  # any other object made by the program: at least its header


def _dunder(key: Any) -> bool:
    return isinstance(key, str) and key.startswith("__") and key.endswith("__")


def _filled(cell: types.CellType) -> bool:
    try:
        cell.cell_contents  # noqa: B018 - an empty cell raises
    except ValueError:
        return False
    return True


def heap_of(board: Board) -> Heap:
    """The device's heap model (one per device)."""
    return board.module_state("heap", lambda: Heap(board))


def create(board: Board) -> dict[str, Any]:
    """The names of ``gc`` on ``device``."""
    heap = heap_of(board)

    def collect() -> None:
        """Run a garbage collection (the model holds no garbage but a dropped big block)."""
        heap.recent[:] = [None, 0]
        board.clock.poll()

    def disable() -> None:
        """Stop automatic collections."""
        heap.enabled = False

    def enable() -> None:
        """Allow automatic collections."""
        heap.enabled = True

    def isenabled() -> bool:
        """Whether automatic collections are allowed."""
        return heap.enabled

    def mem_free() -> int:
        """Bytes of heap free."""
        return heap.figures()[2]

    def mem_alloc() -> int:
        """Bytes of heap in use."""
        return heap.figures()[1]

    def threshold(*amount: Any) -> int | None:
        """Get or set the allocation threshold (-1: none), in whole blocks."""
        if len(amount) > 1:
            raise TypeError(f"function expected at most 1 arguments, got {len(amount)}")
        if not amount:
            return heap.threshold
        value = to_int(amount[0])
        heap.threshold = -1 if value < 0 else value // BLOCK * BLOCK
        return None

    functions = (collect, disable, enable, isenabled, mem_free, mem_alloc, threshold)
    names: dict[str, Any] = {"__name__": "gc"}
    names.update({fn.__name__: c_function(fn) for fn in functions})
    return names
