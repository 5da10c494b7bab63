"""``import`` for user code: the board's built-in modules, then ``.py`` files in its flash.

Anything else raises MicroPython's ``ImportError: no module named '…'``, so
CPython's own modules (json, socket, …) stay out of reach as on the device.
"""

from __future__ import annotations

import importlib
import os
from types import ModuleType

from ubit.sim.board.board import Board
from ubit.sim.micropython import compiler, executor, heapmodel, stackmodel
from ubit.sim.micropython.modulefiles import module_file, note_file
from ubit.sim.shared.typenames import Any

MODULES_PACKAGE = "ubit.sim.micropython.modules"


def canonical_name(name: str, board: Board) -> str | None:
    """The built-in module ``name`` stands for on this board, or None if it has none."""
    spec = board.spec
    if name in spec.aliases:
        name = spec.aliases[name]
    if name not in spec.modules or name == "__main__":
        return None
    # u-prefixed modules (utime, ustruct, ...) are implemented once, under the plain name
    plain = name[1:] if name.startswith("u") and name[1:] in _U_MODULES else name
    return plain


_U_MODULES = {"time", "struct", "collections", "array", "random", "sys", "errno"}


CPYTHON_MODULE_ATTRS = ("__doc__", "__loader__", "__package__", "__spec__")


def new_module(name: str) -> ModuleType:
    """An empty module as MicroPython makes one: ``__name__`` only, so ``dir()`` shows no
    CPython extras (``__loader__``, ``__spec__``…)."""
    module = ModuleType(name)
    for attr in CPYTHON_MODULE_ATTRS:
        module.__dict__.pop(attr, None)
    return module


class Importer:
    """The ``__import__`` of user code on one device."""

    def __init__(self, board: Board) -> None:
        self.board = board
        self.builtins: dict[str, Any] = {}  # set by the boot once the builtins exist

    def __call__(self, name: str, globals: Any = None, locals: Any = None,
                 fromlist: Any = (), level: int = 0) -> ModuleType:
        """Import ``name`` as MicroPython on the board would."""
        self.board.clock.poll()
        v1 = self.board.spec.builtins_1_9
        if level:  # 1.9.2 raises a ValueError here (firmware-v2-observed 130)
            if v1:
                raise ValueError("cannot perform relative import")
            raise ImportError("can't perform relative import")
        top = name.split(".")[0]
        module = self.load(top)
        if "." in name:  # no module is a package: 1.9.2 names a built-in's first part, a
            # project file's whole dotted name (``import mymod.py``: the V1 firmware under
            # QEMU says 'mymod.py', after running mymod)
            whole = not v1 or module_file(self.board, module) is not None
            raise ImportError(f"no module named '{name if whole else top}'")
        return module

    def load(self, name: str) -> ModuleType:
        """The module called ``name`` (cached per device, as in ``sys.modules``)."""
        cached = self.board.modules.get(name)
        if cached is not None:
            return cached
        plain = canonical_name(name, self.board)
        if plain is not None and plain in self.board.modules:
            module = self.board.modules[plain]
        elif plain is not None and _has_module(plain):
            module = self._builtin(name, plain)
        elif f"{name}.py" in self.board.files:
            module = self._from_file(name)
        else:
            raise ImportError(f"no module named '{name}'")
        self.board.modules[name] = module
        return module

    def _builtin(self, name: str, plain: str) -> ModuleType:
        impl = importlib.import_module(f"{MODULES_PACKAGE}.{plain}")
        module = new_module(name)
        module.__dict__.update(impl.create(self.board))
        self.board.modules[plain] = module
        return module

    def _from_file(self, name: str) -> ModuleType:
        filename = f"{name}.py"
        room = self._room()  # before the module's own code is counted as held
        module = new_module(name)  # no __file__: neither firmware has MICROPY_PY___FILE__
        self.board.modules[name] = module  # visible during its own import, as in CPython
        note_file(self.board, module, filename)
        try:
            code = compiler.compile_user(self.board.files[filename], filename, self.board.spec,
                                         room=room)
            with stackmodel.module_frame(self.board.spec, "IMPORT"):  # the C stack below it
                executor.run_code(code, module.__dict__, builtins=self.builtins)
        except BaseException:
            self.board.modules.pop(name, None)
            note_file(self.board, module, None)
            raise
        return module

    def _room(self) -> int | None:
        """Free heap for compiling a module, on a board that compiles in its own heap."""
        if not heapmodel.compiling_checked(self.board.spec):
            return None
        from ubit.sim.micropython.modules.gc import heap_of

        return heap_of(self.board).figures()[2]


_MODULES_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "modules")


def _has_module(plain: str) -> bool:
    # a look at the folder, not importlib.util.find_spec: that import alone costs the
    # board ~5 ms of start-up
    return os.path.exists(os.path.join(_MODULES_DIR, f"{plain}.py"))
