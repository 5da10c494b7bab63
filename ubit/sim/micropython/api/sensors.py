"""``temperature()``; on V2 also ``microphone``, ``SoundEvent``, ``speaker``, ``set_volume``.

References §4 (temperature, set_volume), §11 (microphone, SoundEvent) and §12
(speaker: only ``on()`` and ``off()``; the firmware has no ``is_on()``). V1 has none
of the V2 names, so using them there is a NameError/ImportError as on the device.
"""

from __future__ import annotations

from ubit.sim.board.board import Board
from ubit.sim.board.parts import microphone as microphone_part
from ubit.sim.board.parts import speaker as speaker_part
from ubit.sim.board.parts import thermometer as thermometer_part
from ubit.sim.micropython.api.buttons import fixed_args, instance, native
from ubit.sim.micropython.args import to_int
from ubit.sim.micropython.boundary import api
from ubit.sim.shared.typenames import Any


@native("MicroBitSoundEvent")
class MicroBitSoundEvent:
    """A sound event, ``SoundEvent.LOUD`` or ``SoundEvent.QUIET``."""

    __slots__ = ("_name",)

    def __repr__(self) -> str:
        return f"SoundEvent('{self._name}')"


SOUND_EVENTS = {name: instance(MicroBitSoundEvent, _name=name)
                for name in (microphone_part.LOUD, microphone_part.QUIET)}
MicroBitSoundEvent.LOUD = SOUND_EVENTS[microphone_part.LOUD]  # type: ignore[attr-defined]
MicroBitSoundEvent.QUIET = SOUND_EVENTS[microphone_part.QUIET]  # type: ignore[attr-defined]


def _event_name(value: Any) -> str:
    """The name of a SoundEvent argument, or ``ValueError: invalid sound``."""
    if type(value) is not MicroBitSoundEvent:
        raise ValueError("invalid sound")
    return value._name


@native("MicroBitMicrophone")
class MicroBitMicrophone:
    """The V2 microphone (type ``MicroBitMicrophone``)."""

    __slots__ = ("_part", "_clock")

    def _use(self) -> microphone_part.Microphone:
        self._clock.poll()
        self._part.switch_on()  # any microphone call turns it on (§11)
        return self._part

    def current_event(self) -> MicroBitSoundEvent:
        """The latest sound event (starts as SoundEvent.QUIET)."""
        return SOUND_EVENTS[self._use().current]

    def is_event(self, event: Any) -> bool:
        """Whether ``event`` is the latest sound event."""
        name = _event_name(event)
        return self._use().current == name

    def was_event(self, event: Any) -> bool:
        """Whether ``event`` happened since the last call for it; empties the history."""
        name = _event_name(event)
        return self._use().was_event(name)

    def get_events(self) -> tuple[MicroBitSoundEvent, ...]:
        """The sound events since the last call, oldest first (at most 8)."""
        return tuple(SOUND_EVENTS[name] for name in self._use().get_events())

    def set_threshold(self, event: Any, value: Any) -> None:
        """LOUD sets the high threshold, QUIET the low one (0–255)."""
        name = _event_name(event)
        self._use().set_threshold(name, to_int(value))

    def sound_level(self) -> int:
        """The sound level now, 0–255."""
        return self._use().level


@native("MicroBitSpeaker")
class MicroBitSpeaker:
    """The V2 speaker (type ``MicroBitSpeaker``): only on() and off()."""

    __slots__ = ("_part", "_clock", "_board")

    def on(self) -> None:
        """Send sound to the speaker."""
        self._clock.poll()
        self._part.set_on(True)
        speaker_part.update_output(self._board)

    def off(self) -> None:
        """Silence the speaker (pin 0 still plays)."""
        self._clock.poll()
        self._part.set_on(False)
        speaker_part.update_output(self._board)


def contribute(board: Board, ns: dict[str, Any]) -> None:
    """Add ``temperature`` (both boards) and V2's sound names."""
    clock = board.clock
    thermometer = thermometer_part.of(board)

    def temperature() -> int:
        """The temperature in °C."""
        clock.poll()
        return thermometer.value

    ns["temperature"] = api(fixed_args(temperature))
    if board.spec.has("microphone"):
        ns["microphone"] = instance(MicroBitMicrophone, _part=microphone_part.of(board),
                                    _clock=clock)
        ns["SoundEvent"] = MicroBitSoundEvent
    if board.spec.has("speaker"):
        speaker = speaker_part.of(board)

        def set_volume(value: Any) -> None:
            """Set the output volume, 0–255 (clamped)."""
            volume = to_int(value)
            clock.poll()
            speaker.set_volume(volume)
            speaker_part.update_output(board)  # the stream plays at volume / 255

        ns["speaker"] = instance(MicroBitSpeaker, _part=speaker, _clock=clock, _board=board)
        ns["set_volume"] = api(fixed_args(set_volume))
