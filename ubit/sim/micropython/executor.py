"""Running user code with the firmware's call depth (reference §1.1) and the board's builtins.

Python frames stand in for the firmware's C stack; see ``run_code`` and ``boundary``.

The firmware's module globals hold no ``__builtins__`` (``globals()`` of main.py is
``{'__name__': '__main__', …}``: firmware-v2-observed 117), while CPython's ``exec`` puts
one in and takes a frame's builtins from it. CPython 3.11 fixes a function's builtins when
the function is made (``_PyEval_BuiltinsFromGlobals``: ``globals['__builtins__']``, else
the running frame's) and a frame's from its function, so ``run_in`` makes a function of the
code with the board's builtins in its globals for that moment only, and runs it as
``__build_class__`` runs a class body: with the locals it is given (here the module's
namespace), which ``exec`` can't do without leaving ``__builtins__`` behind. Everything the
code makes later (functions, classes, lambdas) takes the running frame's builtins, the
board's; nothing in the namespace names them.
"""

from __future__ import annotations

import builtins as host_builtins
import sys
from types import CodeType, FunctionType

from ubit.sim.micropython import stackmodel
from ubit.sim.shared.boards import BoardSpec
from ubit.sim.shared.typenames import Any

# ---------------------------------------------------------------------------------------
# Running

# User code runs at least this deep, so that the recursion limit that gives it the
# firmware's call depth still leaves the board's other threads room for their calls.
BASE_DEPTH = 60
# With the stack model (V1) the firmware's depth is counted in bytes; CPython's limit stays
# this far above it, for what the model doesn't charge (a runaway generator recursion).
SAFETY_FRAMES = 80
MEMORY_ERRORS = (MemoryError,)


def stack_depth() -> int:
    """Frames on the current thread's stack (not counting this function)."""
    depth = 0
    frame = sys._getframe(1)
    while frame is not None:
        depth += 1
        frame = frame.f_back
    return depth


def counted_depth() -> int:
    """How deep CPython's recursion limit counts the caller's frame.

    The count has C-level entries as well as frames, and how many depends on how the
    process was started (``-m`` adds runpy's), so it is measured: with a limit a little
    above the stack, see how many more calls fit.
    """
    saved = sys.getrecursionlimit()
    limit = stack_depth() + 64
    fitted = 0

    def dive() -> None:
        nonlocal fitted
        fitted += 1
        dive()

    sys.setrecursionlimit(limit)
    try:
        dive()
    except RecursionError:
        pass
    finally:
        sys.setrecursionlimit(saved)
    return limit - fitted


class _Scope:
    """What ``__build_class__`` is given as the metaclass to run code as a class body: the
    body's locals are ``namespace`` and nothing is built from them."""

    __slots__ = ("namespace",)

    def __init__(self, namespace: Any) -> None:
        self.namespace = namespace

    def __prepare__(self, name: str, bases: tuple) -> Any:  # noqa: PLW3201 - the protocol's
        return self.namespace

    def __call__(self, name: str, bases: tuple, namespace: Any) -> None:
        return None


_build_class = host_builtins.__build_class__


def body_of(code: CodeType, globals_: dict, builtins: dict) -> FunctionType:
    """A function running ``code`` with ``builtins``, which ``globals_`` doesn't keep (it
    keeps a ``__builtins__`` it had: those are the ones used then)."""
    added = "__builtins__" not in globals_
    if added:
        globals_["__builtins__"] = builtins
    try:
        return FunctionType(code, globals_)
    finally:
        if added:
            del globals_["__builtins__"]


def run_in(code: CodeType, globals_: dict, builtins: dict, locals_: Any = None) -> None:
    """``exec(code, globals_, locals_)`` with ``builtins``, which ``globals_`` doesn't keep."""
    _build_class(body_of(code, globals_, builtins), code.co_name,
                 metaclass=_Scope(globals_ if locals_ is None else locals_))


def take_builtins(namespace: dict, builtins: dict | None) -> dict:
    """The builtins to run code in ``namespace`` with: a fresh namespace's own
    (``boot.user_namespace``), taken out of it, else ``builtins``."""
    found = namespace.pop("__builtins__", None)
    if found is not None:
        return found
    if builtins is None:
        raise ValueError("no builtins for this namespace")
    return builtins


def run_code(code: CodeType, namespace: dict, spec: BoardSpec | None = None,
             builtins: dict | None = None) -> dict:
    """Execute user code; with ``spec``, with the firmware's call depth (reference §1.1).

    The code runs with ``namespace``'s ``__builtins__`` (taken out of it: see the module
    doc) or, once they have been, ``builtins``; returns the builtins it ran with, which a
    later run in the same namespace passes.

    Python frames stand in for the firmware's C stack: user code may nest
    ``spec.max_frames`` calls; the emulation's own functions lift the limit while
    they work (``boundary.api``), so they cost the user one frame each. Where the
    stack model counts bytes instead (V1, ``stackmodel``), CPython's limit is only
    a safety net, ``SAFETY_FRAMES`` deep.
    """
    builtins = take_builtins(namespace, builtins)
    try:
        if spec is None:
            run_in(code, namespace, builtins)
            return builtins
        _deepen(BASE_DEPTH - stack_depth(), code, namespace, builtins, spec)
    except BaseException as exc:
        stackmodel.tidy(exc)  # the firmware reports a full stack at the caller's line
        raise
    return builtins


def _deepen(more: int, code: CodeType, namespace: dict, builtins: dict,
            spec: BoardSpec) -> None:
    if more > 0:
        _deepen(more - 1, code, namespace, builtins, spec)
        return
    saved = sys.getrecursionlimit()
    # the user's frames on top of this one; +1: the API call at the bottom
    frames = spec.max_frames + 1
    if stackmodel.enabled(spec):
        stackmodel.start(spec)
        frames = SAFETY_FRAMES
    sys.setrecursionlimit(counted_depth() + frames)
    try:  # run_in's work, here: a frame between this and the code would cost the user one
        _build_class(body_of(code, namespace, builtins), code.co_name,
                     metaclass=_Scope(namespace))
    finally:
        sys.setrecursionlimit(saved)

