"""The builtin the compiler's rewrite of an ``asm_thumb`` function calls.

``__mp_asm_thumb__(code, n_args, return_type)`` decorates the function when its definition
runs: the first one readies the board's core (importing unicorn then, not at start-up). It
returns what the firmware makes (``mp_obj_new_fun_asm`` in py/objfun.c): a function of the
board, not of the user, so it prints as ``<function>``, its argument errors are
``fun_asm_call``'s (``mp_arg_check_num``: keywords refused first, then the count) and a
traceback shows the caller's line only.
"""

from __future__ import annotations

from collections.abc import Callable

from ubit.sim.micropython.args import check_count, no_keywords
from ubit.sim.micropython.boundary import api
from ubit.sim.shared.typenames import Any

HANG_STEP_MS = 1000


def install(names: dict[str, Any], board: Any) -> None:
    """Add ``__mp_asm_thumb__`` to a run's builtins."""
    cores: list[Any] = []

    def core() -> Any:
        if not cores:
            from ubit.sim.micropython.asm.machine import Machine

            cores.append(Machine(board))
        return cores[0]

    def run(code: bytes, return_type: str, args: tuple[Any, ...]) -> Any:
        from ubit.sim.micropython.asm.machine import HardFault

        try:
            return core().call(code, return_type, args)
        except HardFault:
            while True:  # the device's fault handler: stopped until reset or the run's end
                board.clock.sleep_ms(HANG_STEP_MS)

    def asm_thumb(code: bytes, n_args: int, return_type: str) -> Callable[[Any], Any]:
        core().place(code)

        def decorate(function: Any) -> Any:
            def asm_function(*args: Any, **kwargs: Any) -> Any:
                if kwargs:
                    raise no_keywords()
                check_count(len(args), n_args, n_args)
                return run(code, return_type, args)

            asm_function.__name__ = function.__name__
            asm_function.__qualname__ = function.__qualname__
            return api(asm_function)

        return decorate

    names["__mp_asm_thumb__"] = api(asm_thumb)
