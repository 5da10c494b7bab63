"""The V2 microphone: sound level 0–255, LOUD/QUIET events and their history (§11).

Events: ``loud`` when the level rises to the high threshold or above from below it,
``quiet`` when it falls to the low threshold or below from above it (defaults 150 and
75, the official simulator's). Only a microphone that is on hears them: any
microphone method turns it on (on a board its LED lights), so events before the
program first uses it are not recorded, as on the device.

The current event starts as ``quiet`` and is the latest event heard; a flag per event
(``was_event``) and a history of at most 8 events, oldest first (when full, newer
events are dropped); ``get_events()`` and every ``was_event()`` empty the history.

Host input: ``sound`` (0–255). Published: ``sound`` → int, ``microphone`` → True once on.
"""

from __future__ import annotations

import threading

from ubit.sim.board.parts.base import Part, Publish
from ubit.sim.shared.protocol import PartSpec, range_input
from ubit.sim.shared.typenames import Any

SOUND = range_input("sound", "Sound level", 0, 255, 0, nudge=16)
PART = PartSpec("microphone", "Microphone", state=("sound", "microphone"), inputs=(SOUND,))
LOUD, QUIET = "loud", "quiet"
LOW_THRESHOLD, HIGH_THRESHOLD = 75, 150
HISTORY_SIZE = 8


class Microphone(Part):
    """Sound level, thresholds and the events they produce."""

    part_id = "microphone"

    def __init__(self, publish: Publish | None = None) -> None:
        super().__init__(publish)
        self.level = int(SOUND.default)
        self.low = LOW_THRESHOLD
        self.high = HIGH_THRESHOLD
        self.on = False
        self.current = QUIET
        self._flags: set[str] = set()
        self._history: list[str] = []
        self._lock = threading.Lock()

    def set_level(self, value: float) -> None:
        """Host input: the sound level now (0–255)."""
        level = round(SOUND.clamp(float(value)))
        with self._lock:
            before, self.level = self.level, level
            if self.on:
                if before < self.high <= level:
                    self._record(LOUD)
                elif before > self.low >= level:
                    self._record(QUIET)
        if level != before:
            self.changed(level, "sound")

    def _record(self, event: str) -> None:
        self.current = event
        self._flags.add(event)
        if len(self._history) < HISTORY_SIZE:
            self._history.append(event)

    def switch_on(self) -> None:
        """Any microphone method turns it on."""
        if not self.on:
            self.on = True
            self.changed(True)

    def snapshot(self) -> dict[str, Any]:
        """``sound``: the level the host set; ``microphone``: whether it is on."""
        return {"sound": self.level, "microphone": self.on}

    def was_event(self, event: str) -> bool:
        """Whether ``event`` happened since the last ask; clears its flag and the history."""
        with self._lock:
            found = event in self._flags
            self._flags.discard(event)
            self._history.clear()
        return found

    def get_events(self) -> tuple[str, ...]:
        """The event history, oldest first; empties it."""
        with self._lock:
            history = tuple(self._history)
            self._history.clear()
        return history

    def set_threshold(self, event: str, value: int) -> None:
        """LOUD sets the high threshold, QUIET the low one (0–255; they never cross)."""
        value = max(0, min(255, value))
        with self._lock:
            if event == LOUD:
                self.high = value
                if self.low > value:  # docs: QUIET moves to just below LOUD
                    self.low = max(0, value - 1)
            else:
                self.low = value
                if self.high < value:  # and LOUD to just above QUIET
                    self.high = min(255, value + 1)


def of(board: Any) -> Microphone:
    """The board's microphone, wired to the host's input."""

    def make() -> Microphone:
        part = Microphone(board.publish)
        board.inputs.add(PART.id, SOUND, part.set_level)
        return part

    return board.part(PART.id, make)
