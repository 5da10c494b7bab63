"""The board inside its process: spec, clock, serial port, parts, inputs and files.

There is one board per process; the MicroPython emulation reaches it with
``current()``. Everything a user program can observe hangs off this object.

The parts are the modules ``ubit.sim.board.parts.<name>`` named by the spec's
``parts``; each describes itself (``PART``, or ``describe(spec)`` when that differs by
board: a ``protocol.PartSpec``) and makes its part with ``of(board)``. ``build_parts``
makes every one before the program starts, so the board's description and state are
complete from the start.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable

from ubit.sim.board.clock import Clock
from ubit.sim.board.inputs import InputTable
from ubit.sim.board.serialport import SerialPort
from ubit.sim.shared import protocol
from ubit.sim.shared.boards import BoardSpec
from ubit.sim.shared.typenames import Any

Publish = Callable[[str, Any], None]

PARTS_PACKAGE = "ubit.sim.board.parts"

_current: Board | None = None


def part_module(name: str) -> Any:
    """The module of part ``name`` (``ubit.sim.board.parts.<name>``)."""
    return importlib.import_module(f"{PARTS_PACKAGE}.{name}")


def describe_parts(spec: BoardSpec) -> list[protocol.PartSpec]:
    """The description of every part of a board, in the spec's order.

    A part module gives ``PART``, or ``describe(spec)`` when it differs by board.
    """
    found = []
    for name in spec.parts:
        module = part_module(name)
        found.append(module.describe(spec) if hasattr(module, "describe") else module.PART)
    return found


class Board:
    """One running virtual micro:bit, as seen from inside its process."""

    def __init__(self, spec: BoardSpec, clock: Clock, serial: SerialPort,
                 files: dict[str, bytes], publish: Publish, seed: int | None = None) -> None:
        self.spec = spec
        self.clock = clock
        self.serial = serial
        self.files = files  # the flash filesystem's contents: name -> bytes
        self._publish = publish
        self._quiet = False  # while parts are being (re)made: the snapshot tells it all
        self._seed = seed
        self._random: Any = None
        self.parts: dict[str, Any] = {}  # part id -> part
        self.inputs = InputTable(spec.label)
        self.modules: dict[str, Any] = {}  # user-visible modules loaded so far
        self.module_states: dict[str, Any] = {}  # what the emulation keeps per board
        self.radio_link: Any = None  # the antenna (``radiolink``), set up by the board process
        # run when the program ends, to let output it left going finish (a sound playing)
        self.at_end: list[Callable[[], None]] = []

    @property
    def random(self) -> Any:
        """The board's own random numbers (``random.Random(seed)``), made when first drawn
        from: ``random`` costs a board's start-up its import, and most programs never draw."""
        if self._random is None:
            import random

            self._random = random.Random(self._seed)
        return self._random

    def publish(self, part: str, value: Any) -> None:
        """Send a part's new state to the host."""
        if not self._quiet:
            self._publish(part, value)

    def part(self, name: str, factory: Callable[[], Any]) -> Any:
        """The part called ``name`` (made by ``factory`` if ``build_parts`` hasn't yet)."""
        found = self.parts.get(name)
        if found is None:
            found = self.parts[name] = factory()
        return found

    def module_state(self, name: str, factory: Callable[[], Any]) -> Any:
        """What a MicroPython module keeps for this board; made on first use, gone at a reset."""
        found = self.module_states.get(name)
        if found is None:
            found = self.module_states[name] = factory()
        return found

    def build_parts(self) -> None:
        """Make every part of the board (quietly: ``snapshot`` then tells the host)."""
        self._quiet = True
        try:
            for name in self.spec.parts:
                part_module(name).of(self)
        finally:
            self._quiet = False

    def describe(self) -> dict[str, Any]:
        """The board as ``ready`` describes it: kind, parts, inputs and state."""
        spec = self.spec
        return {"protocol": protocol.VERSION, "board": spec.describe(),
                "parts": [part.describe() for part in describe_parts(spec)],
                "inputs": self.inputs.describe(), "state": self.snapshot(),
                "t": self.clock.now_ms()}

    def snapshot(self) -> dict[str, Any]:
        """Every part's state now, by state id."""
        state: dict[str, Any] = {}
        for part in list(self.parts.values()):
            state.update(part.snapshot())
        return state

    def reset(self) -> None:
        """A reset: timers stop, parts and modules start afresh; flash and the world stay."""
        self.clock.cancel_all()
        kept = {name: part for name, part in self.parts.items()
                if getattr(part, "survives_reset", False)}
        self.parts = dict(kept)
        self.modules.clear()
        self.module_states.clear()
        self.at_end.clear()
        self.inputs.forget_setters()
        if self.radio_link is not None:
            self.radio_link.listen(None)  # the radio is off until the program turns it on
        self.build_parts()
        # the world outside the board doesn't change on a reset: held buttons, set sensors
        self._quiet = True
        try:
            self.inputs.reapply()
        finally:
            self._quiet = False
        self._publish(protocol.RESET, self.snapshot())  # the host starts afresh from this

    def set_input(self, input_id: str, value: Any) -> None:
        """Apply a value the host sent (checked first: ``protocol.InputError`` if refused)."""
        self.inputs.apply(input_id, value)


def current() -> Board:
    """The board of this process."""
    if _current is None:
        raise RuntimeError("no virtual micro:bit is running in this process")
    return _current


def install(board: Board) -> Board:
    """Make ``board`` the one ``current()`` returns."""
    global _current
    _current = board
    return board
