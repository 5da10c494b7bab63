"""The device inside a board process: its spec, clock, serial port, parts and files.

There is one device per process; the user-facing modules reach it with
``current()``. Everything a user program can observe hangs off this object.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

from ubit.sim.board.clock import Clock
from ubit.sim.board.serialport import SerialPort
from ubit.sim.shared.boards import BoardSpec

Publish = Callable[[str, Any], None]

_current: Board | None = None


class Board:
    """One running virtual micro:bit, as seen from inside its process."""

    def __init__(self, spec: BoardSpec, clock: Clock, serial: SerialPort,
                 files: dict[str, bytes], publish: Publish, seed: int | None = None) -> None:
        self.spec = spec
        self.clock = clock
        self.serial = serial
        self.files = files  # the flash filesystem's contents: name -> bytes
        self.publish = publish
        self.random = random.Random(seed)
        self.parts: dict[str, Any] = {}  # filled by the modules that own each part
        self.modules: dict[str, Any] = {}  # user-visible modules loaded so far
        self.inputs: dict[str, Callable[[Any], None]] = {}  # part id -> setter for host input
        self._pending_inputs: dict[str, Any] = {}  # host input for parts not made yet
        self._host_values: dict[str, Any] = {}  # the last value the host set for each input
        self.radio_link: Any = None  # the antenna (``radiolink``), set up by the board process
        # run when the program ends, to let output it left going finish (a sound playing)
        self.at_end: list[Callable[[], None]] = []

    def part(self, name: str, factory: Callable[[], Any]) -> Any:
        """The part called ``name``, made by ``factory`` on first use."""
        found = self.parts.get(name)
        if found is None:
            found = self.parts[name] = factory()
        return found

    def reset(self) -> None:
        """A reset: timers stop, parts and modules start afresh; the flash files stay."""
        self.clock.cancel_all()
        self.parts.clear()
        self.modules.clear()
        self.at_end.clear()
        self.inputs.clear()
        if self.radio_link is not None:
            self.radio_link.listen(None)  # the radio is off until the program turns it on
        # the world outside the board doesn't change on a reset: held buttons, set sensors
        self._pending_inputs = dict(self._host_values)
        self.publish("reset", True)

    def set_input(self, part: str, value: Any) -> None:
        """Apply a value the host sent (a button press, a sensor reading)."""
        if part != "gesture":  # a gesture is an event, not a lasting value
            self._host_values[part] = value
        setter = self.inputs.get(part)
        if setter is None:
            self._pending_inputs[part] = value  # the part isn't made yet: keep it for later
        else:
            setter(value)

    def register_input(self, part: str, setter: Callable[[Any], None]) -> None:
        """Let the host set ``part``; applies a value that arrived before the part existed."""
        self.inputs[part] = setter
        if part in self._pending_inputs:
            setter(self._pending_inputs.pop(part))


def current() -> Board:
    """The device of this process."""
    if _current is None:
        raise RuntimeError("no virtual micro:bit is running in this process")
    return _current


def install(board: Board) -> Board:
    """Make ``device`` the one ``current()`` returns."""
    global _current
    _current = board
    return board
