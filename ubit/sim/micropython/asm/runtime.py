"""The builtins the compiler's rewrite of an ``asm_thumb`` function calls.

``__mp_asm_thumb__(code)`` decorates the function when its definition runs: the first
one readies the board's core (importing unicorn then, not at start-up). The function's
body is ``return __mp_asm__(code, return_type, r0, …)``: the code runs on that core.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ubit.sim.micropython.boundary import api

HANG_STEP_MS = 1000


def install(names: dict[str, Any], board: Any) -> None:
    """Add ``__mp_asm_thumb__`` and ``__mp_asm__`` to a run's builtins."""
    cores: list[Any] = []

    def core() -> Any:
        if not cores:
            from ubit.sim.micropython.asm.machine import Machine

            cores.append(Machine(board))
        return cores[0]

    def asm_thumb(code: bytes) -> Callable[[Any], Any]:
        core().place(code)
        return lambda function: function

    def asm_call(code: bytes, return_type: str, *args: Any) -> Any:
        from ubit.sim.micropython.asm.machine import HardFault

        try:
            return core().call(code, return_type, args)
        except HardFault:
            while True:  # the device's fault handler: stopped until reset or the run's end
                board.clock.sleep_ms(HANG_STEP_MS)

    names["__mp_asm_thumb__"] = api(asm_thumb)
    names["__mp_asm__"] = api(asm_call)
