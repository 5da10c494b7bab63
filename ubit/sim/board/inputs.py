"""The board's inputs: one table, built from its parts' descriptions, that every input passes.

Each part adds its inputs (``protocol.InputSpec``) with the setter that applies them.
A value is checked against the description before any part sees it: an unknown input,
a value of the wrong type, out of range, NaN or infinite, an unknown gesture — each
is refused with ``InputError`` naming the input and what it takes, so a bad input from
a host can never reach the user's program. The last lasting value of each input is
kept: the world outside the board (a held button, the room's temperature) doesn't
change when the board is reset.
"""

from __future__ import annotations

from collections.abc import Callable

from ubit.sim.shared import protocol
from ubit.sim.shared.protocol import InputError, InputSpec
from ubit.sim.shared.typenames import Any

Setter = Callable[[Any], None]


class InputTable:
    """Every input of one board: its description, its setter and its last value."""

    def __init__(self, board_label: str) -> None:
        self.board_label = board_label
        self.specs: dict[str, dict[str, Any]] = {}  # id -> description (as in ``ready``)
        self.setters: dict[str, Setter] = {}
        self.values: dict[str, Any] = {}  # lasting values the host set (not events)

    def add(self, part: str, spec: InputSpec, setter: Setter) -> None:
        """Let the host set input ``spec`` of ``part`` through ``setter``."""
        self.specs[spec.id] = spec.describe(part)
        self.setters[spec.id] = setter

    def describe(self) -> list[dict[str, Any]]:
        """Every input's description, in the order the parts added them."""
        return list(self.specs.values())

    def check(self, input_id: Any, value: Any) -> Any:
        """``value`` as input ``input_id`` takes it; ``InputError`` when refused."""
        spec = self.specs.get(input_id) if isinstance(input_id, str) else None
        if spec is None:
            known = ", ".join(self.specs)
            raise InputError(f"no input {input_id!r} on this micro:bit {self.board_label} "
                             f"(its inputs: {known})")
        return protocol.check_value(spec, value)

    def apply(self, input_id: str, value: Any) -> None:
        """Check ``value`` and give it to the part; ``InputError`` when refused."""
        value = self.check(input_id, value)
        if self.specs[input_id]["kind"] != protocol.EVENT:
            self.values.pop(input_id, None)  # re-applied after a reset in the order set
            self.values[input_id] = value
        self.setters[input_id](value)

    def forget_setters(self) -> None:
        """Drop the setters (a reset remakes the parts); descriptions and values stay."""
        self.setters.clear()

    def reapply(self) -> None:
        """Give the remade parts the values the host had set."""
        for input_id, value in self.values.items():
            setter = self.setters.get(input_id)
            if setter is not None:
                setter(value)
