"""Buttons A and B: held or not, a "was pressed" flag and a press counter (reference §7).

The flag and the counter are independent, as in both firmwares (``state = count << 1 |
flag``): ``was_pressed()`` clears only the flag, ``get_presses()`` only the counter.
A press counts when the button goes down (V1 counts the debounced high→low edge).

Host input: ``button_a`` / ``button_b`` → held (bool). Published: the same ids → bool.
"""

from __future__ import annotations

import threading

from ubit.sim.board.parts.base import Part, Publish
from ubit.sim.shared.protocol import SWITCH, InputSpec, PartSpec
from ubit.sim.shared.typenames import Any

INPUTS = (InputSpec("button_a", SWITCH, "Button A", False),
          InputSpec("button_b", SWITCH, "Button B", False))
PART = PartSpec("buttons", "Buttons A and B", state=("button_a", "button_b"), inputs=INPUTS)


class Button(Part):
    """One button: whether it is held, plus the firmware's flag and counter."""

    def __init__(self, part_id: str, publish: Publish | None = None) -> None:
        super().__init__(publish)
        self.part_id = part_id
        self.held = False
        self._flag = False
        self._count = 0
        self._lock = threading.Lock()  # host input may arrive on another thread

    def set_held(self, held: bool) -> None:
        """The host pressed (True) or released (False) the button."""
        held = bool(held)
        with self._lock:
            if held == self.held:
                return
            self.held = held
            if held:
                self._flag = True
                self._count += 1
        self.changed(held)

    def was_pressed(self) -> bool:
        """Whether it was pressed since the last call; clears only the flag."""
        with self._lock:
            flag, self._flag = self._flag, False
        return flag

    def get_presses(self) -> int:
        """Presses since the last call; resets only the counter."""
        with self._lock:
            count, self._count = self._count, 0
        return count


class Buttons(Part):
    """Both buttons of the board."""

    part_id = "buttons"

    def __init__(self, publish: Publish | None = None) -> None:
        super().__init__(publish)
        self.a = Button("button_a", publish)
        self.b = Button("button_b", publish)

    def snapshot(self) -> dict[str, Any]:
        """``button_a``/``button_b``: whether each is held."""
        return {"button_a": self.a.held, "button_b": self.b.held}


def of(board: Any) -> Buttons:
    """The board's buttons, wired to the host's input."""

    def make() -> Buttons:
        buttons = Buttons(board.publish)
        board.inputs.add(PART.id, INPUTS[0], buttons.a.set_held)
        board.inputs.add(PART.id, INPUTS[1], buttons.b.set_held)
        return buttons

    return board.part(PART.id, make)
