"""Running user code with the firmware's call depth (reference §1.1).

Python frames stand in for the firmware's C stack; see ``run_code`` and ``boundary``.
"""

from __future__ import annotations

import sys
from types import CodeType

from ubit.sim.micropython import stackmodel
from ubit.sim.shared.boards import BoardSpec
from ubit.sim.shared.typenames import TYPE_CHECKING

if TYPE_CHECKING:
    pass


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


def run_code(code: CodeType, namespace: dict, spec: BoardSpec | None = None) -> None:
    """Execute user code; with ``spec``, with the firmware's call depth (reference §1.1).

    Python frames stand in for the firmware's C stack: user code may nest
    ``spec.max_frames`` calls; the emulation's own functions lift the limit while
    they work (``boundary.api``), so they cost the user one frame each. Where the
    stack model counts bytes instead (V1, ``stackmodel``), CPython's limit is only
    a safety net, ``SAFETY_FRAMES`` deep.
    """
    try:
        if spec is None:
            exec(code, namespace)
            return
        _deepen(BASE_DEPTH - stack_depth(), code, namespace, spec)
    except BaseException as exc:
        stackmodel.tidy(exc)  # the firmware reports a full stack at the caller's line
        raise


def _deepen(more: int, code: CodeType, namespace: dict, spec: BoardSpec) -> None:
    if more > 0:
        _deepen(more - 1, code, namespace, spec)
        return
    saved = sys.getrecursionlimit()
    # the user's frames on top of this one; +1: the API call at the bottom
    frames = spec.max_frames + 1
    if stackmodel.enabled(spec):
        stackmodel.start(spec)
        frames = SAFETY_FRAMES
    sys.setrecursionlimit(counted_depth() + frames)
    try:
        exec(code, namespace)
    finally:
        sys.setrecursionlimit(saved)

