"""``music`` (reference §19): note strings, tempo, built-in tunes, ``pitch``, on the board clock.

A tune plays as timers on the board's clock, so ``wait=False`` goes on in the
background and a headless run takes no wall time but the right virtual time. Each
note sounds for ``ms_per_tick * duration - 10`` ms (at least 10), then 10 ms of
silence (§19.2). V1 moves music on at its 6 ms ticks (§5.1), so each of those phases
ends on the next tick: ``BA_DING`` takes 510–516 ms there (513 under QEMU) and 500 on V2.

The sound goes to the board's audio stream (``ubit.sim.board.parts.audio``); the
pin is claimed in ``music`` mode and marked playing meanwhile (§8.3).
"""

from __future__ import annotations

import threading
from collections.abc import Sequence

from ubit.sim.board.board import Board
from ubit.sim.board.clock import TICK_US, Timer
from ubit.sim.board.parts import audio as audio_out
from ubit.sim.board.parts import pins as pins_part
from ubit.sim.board.parts import speaker as speaker_part
from ubit.sim.micropython.api.buses import DEFAULT_PIN0, REQUIRED, parse_args, require_pin
from ubit.sim.micropython.args import no_keywords
from ubit.sim.micropython.boundary import api, c_function
from ubit.sim.micropython.modules import musicdata
from ubit.sim.shared.typenames import Any

DEFAULT_BPM, DEFAULT_TICKS, DEFAULT_OCTAVE, DEFAULT_DURATION = 120, 4, 4, 4
ARTICULATION_MS = 10  # silence after every note (§19.2)

# Octave-4 periods in µs of each letter and of its sharp (0: e# and b# don't exist), §19.1.
PERIODS = {"c": (3822, 3608), "d": (3405, 3214), "e": (3034, 0), "f": (2863, 2703),
           "g": (2551, 2408), "a": (2273, 2145), "b": (2025, 0)}
# A flat is the previous letter's sharp (§19.1), so cb and fb hit the missing b#, e#.
PREVIOUS = {"c": "b", "d": "c", "e": "d", "f": "e", "g": "f", "a": "g", "b": "a"}


def c_div(a: int, b: int) -> int:
    """C's integer division (truncates towards zero), as the firmware computes tempo."""
    q = abs(a) // abs(b)
    return q if (a < 0) == (b < 0) else -q


def parse_note(note: str | bytes, octave: int, duration: int) -> tuple[float | None, int, int]:
    """``(frequency or None for silence, octave, duration)`` of a note string (§19.1).

    ``octave`` and ``duration`` are the ones carried over from earlier notes; the
    returned ones carry on. Like the firmware, nothing is validated: the letter is
    ``char & 0x1f`` (any case), and a letter that is not a–g is a rest.
    """
    text = note.decode("latin-1") if isinstance(note, bytes) else note
    if not text:
        return None, octave, duration
    letter = chr((ord(text[0]) & 0x1F) | 0x60)
    i, accidental = 1, ""
    if i < len(text) and text[i] in "#b":
        accidental, i = text[i], i + 1
    if i < len(text) and "0" <= text[i] <= "9":
        octave, i = int(text[i]), i + 1
    if i < len(text) and text[i] == ":":
        i += 1
        digits = ""
        while i < len(text) and len(digits) < 2 and "0" <= text[i] <= "9":
            digits, i = digits + text[i], i + 1
        if digits:
            duration = int(digits)
    if letter not in PERIODS:
        return None, octave, duration
    if accidental == "b":
        period = PERIODS[PREVIOUS[letter]][1]
    else:
        period = PERIODS[letter][1 if accidental == "#" else 0]
    period = period >> (octave - 4) if octave >= 4 else period << (4 - octave)
    return (1e6 / period if period else None), octave, duration


class _Playback:
    """One tune being played: its notes, where it is, and when its next step is due."""

    def __init__(self, notes: Sequence[Any], pin: str | None, loop: bool, due_us: int) -> None:
        self.notes = notes
        self.pin = pin
        self.loop = loop
        self.index = 0
        self.due_us = due_us
        self.timer: Timer | None = None


class Music:
    """The module's state (tempo, carried octave/duration) and the sound now playing."""

    def __init__(self, board: Board) -> None:
        self.board = board
        self.clock = board.clock
        spec = board.spec
        self.on_ticks = spec.music_on_ticks  # V1 acts on its 6 ms ticks
        self.frees_pin = spec.music_frees_pin  # V1 frees the pin when a sound ends
        self.zero_keeps_tone = spec.pitch_zero_keeps_tone  # V2: pitch(0) keeps the period
        self.range_checked = spec.pitch_range_checked  # V1: "invalid pitch"
        self.stream = audio_out.of(board)
        self.pins = pins_part.of(board)
        self.bpm, self.ticks = DEFAULT_BPM, DEFAULT_TICKS
        self.octave, self.duration = DEFAULT_OCTAVE, DEFAULT_DURATION
        self.current: _Playback | None = None
        self.last_freq: float | None = None  # V2 pitch(0) plays the last period again
        self._lock = threading.RLock()  # real time: timers run on the ticker thread

    # -- time ------------------------------------------------------------------------------
    def ms_per_tick(self) -> int:
        """``(60000 // bpm) // ticks`` in C arithmetic (§19.2)."""
        return c_div(c_div(60000, self.bpm), self.ticks)

    def _on_tick(self, t_us: int) -> int:
        """When something due at ``t_us`` happens: V1 acts on its next 6 ms tick."""
        return -(-t_us // TICK_US) * TICK_US if self.on_ticks else t_us

    # -- output ----------------------------------------------------------------------------
    def _tone(self, freq: float | None, pin: str | None, at_us: int) -> None:
        if freq is not None:
            self.last_freq = freq
        self.stream.set_tone(freq, at_us)

    def _claim(self, pin: str | None) -> None:
        if pin is not None:
            self.pins.acquire(pin, "music")
            self.pins.set_playing(pin, True)
        # the sound goes to this pin from now (V2: pin=None is the speaker alone, which
        # speaker.off() silences, §12); the speaker part sets the stream's level
        speaker_part.route(self.board, pin)

    def stop(self, pin: str | None = None, silence: bool = True) -> None:
        """Forget the tune or pitch now playing and (unless another starts now) go silent."""
        with self._lock:
            playback, self.current = self.current, None
            if playback is not None and playback.timer is not None:
                playback.timer.cancel()
            if silence:
                self.stream.set_tone(None)
            for which in {pin, playback.pin if playback else None} - {None}:
                self._free(which)

    # -- tunes -----------------------------------------------------------------------------
    def play(self, notes: Sequence[Any], pin: str | None, wait: bool, loop: bool) -> None:
        """Play ``notes`` from now (§19.3); with ``wait``, return when they end."""
        self.octave, self.duration = DEFAULT_OCTAVE, DEFAULT_DURATION
        self._claim(pin)
        with self._lock:
            now = self.clock.now_us()
            due = self._on_tick(now)
            self.stop(silence=due != now)  # a note starting now replaces the sound at once
            if pin is not None:
                self.pins.set_playing(pin, True)
            playback = self.current = _Playback(notes, pin, loop, due)
            if playback.due_us == now:
                self._next_note(playback)
            else:
                playback.timer = self.clock.call_at(playback.due_us,
                                                    lambda: self._next_note(playback))
        if wait:
            self._wait(playback)

    def _wait(self, playback: _Playback) -> None:
        try:
            while self.current is playback:
                self.clock.sleep_us(max(1, playback.due_us - self.clock.now_us()))
        except BaseException:  # Ctrl-C (or the end of the run) stops the music too
            if self.current is playback:
                self.stop()
            raise

    def _next_note(self, playback: _Playback) -> None:
        with self._lock:
            if playback is not self.current:
                return
            if playback.index >= len(playback.notes):
                if not (playback.loop and playback.notes):
                    self._finish(playback)
                    return
                playback.index = 0
            item = playback.notes[playback.index]
            playback.index += 1
            if not isinstance(item, (str, bytes)):
                # reported, not raised: the firmware finds it while playing (§19.3)
                self.board.serial.write_text("TypeError: expecting a str for note\n")
                self._finish(playback)
                return
            freq, self.octave, self.duration = parse_note(item, self.octave, self.duration)
            sound_ms = max(ARTICULATION_MS, self.ms_per_tick() * self.duration - ARTICULATION_MS)
            self._tone(freq, playback.pin, playback.due_us)
            playback.due_us = self._on_tick(playback.due_us + sound_ms * 1000)
            playback.timer = self.clock.call_at(playback.due_us,
                                                lambda: self._articulate(playback))

    def _articulate(self, playback: _Playback) -> None:
        with self._lock:
            if playback is not self.current:
                return
            self._tone(None, playback.pin, playback.due_us)
            playback.due_us = self._on_tick(playback.due_us + ARTICULATION_MS * 1000)
            playback.timer = self.clock.call_at(playback.due_us,
                                                lambda: self._next_note(playback))

    def _finish(self, playback: _Playback) -> None:
        self.current = None
        self._tone(None, playback.pin, playback.due_us)
        if playback.pin is not None:
            self._free(playback.pin)

    def _free(self, pin: str) -> None:
        """The sound on ``pin`` ended: V1 frees the pin (``microbit_pin_audio_free``)."""
        self.pins.set_playing(pin, False)
        if self.frees_pin:
            self.pins.release(pin, mode="music")

    # -- pitch -----------------------------------------------------------------------------
    def pitch(self, frequency: int, duration: int, pin: str | None, wait: bool) -> None:
        """Sound ``frequency`` Hz for ``duration`` ms (negative: until stopped), §19.3."""
        if frequency == 0:
            freq = self.last_freq if self.zero_keeps_tone else None  # V2 keeps the period
        else:
            period = c_div(1_000_000, frequency)
            if self.range_checked and \
                    not pins_part.PERIOD_MIN_US <= period <= pins_part.PERIOD_MAX_US:
                raise ValueError("invalid pitch")
            freq = 1e6 / period if period > 0 else None
        self._claim(pin)
        with self._lock:
            self.stop(silence=False)  # the new pitch replaces the sound at once
            now = self.clock.now_us()
            self._tone(freq, pin, now)
            if pin is not None:
                self.pins.set_playing(pin, True)
            if duration < 0:
                return  # plays until stopped, never blocks
            playback = self.current = _Playback((), pin, False, now + duration * 1000)
            # the end of the pitch: silence (when the tune of no notes runs out)
            playback.timer = self.clock.call_at(playback.due_us,
                                                lambda: self._next_note(playback))
        if wait:
            self._wait(playback)


def _pin(board: Board, value: Any) -> str | None:
    """The pin id to play on; None is the speaker alone (V2), or no pin (V1 accepts it too,
    firmware-v2-observed 156)."""
    if value is DEFAULT_PIN0:
        return "pin0"
    if value is None:
        return None
    return require_pin(board, value)


def _notes(board: Board, music: Any) -> Sequence[Any]:
    if isinstance(music, (str, bytes)):
        return (music,)
    if not isinstance(music, (tuple, list)):
        raise TypeError(f"object '{type(music).__name__}' {board.spec.is_not} a tuple or list")
    return tuple(music)  # the firmware plays the list as it was when play() was called


def create(board: Board) -> dict[str, Any]:
    """The names of ``music`` on ``device``."""
    state = Music(board)

    def set_tempo(*args: Any, **kwargs: Any) -> None:
        """Set ticks per beat and/or beats per minute; 0 (the default) leaves one as it is."""
        a = parse_args(args, kwargs, (("ticks", "*int", 0), ("bpm", "*int", 0)))
        # kept in 16-bit unsigned fields: bpm=-1 reads back as 65535 (firmware-v2-observed 156)
        if a["ticks"] != 0:
            state.ticks = a["ticks"] & 0xFFFF
        if a["bpm"] != 0:
            state.bpm = a["bpm"] & 0xFFFF

    def get_tempo() -> tuple[int, int]:
        """``(bpm, ticks)`` as the firmware returns them."""
        return state.bpm, state.ticks

    def play(*args: Any, **kwargs: Any) -> None:
        """Play a note string, a list of them or a built-in tune."""
        a = parse_args(args, kwargs, (("music", "obj", REQUIRED), ("pin", "obj", DEFAULT_PIN0),
                                      ("wait", "bool", True), ("loop", "bool", False)))
        notes = _notes(board, a["music"])
        state.play(notes, _pin(board, a["pin"]), a["wait"], a["loop"])

    def pitch(*args: Any, **kwargs: Any) -> None:
        """Play ``frequency`` Hz for ``duration`` ms (negative: until stopped)."""
        a = parse_args(args, kwargs, (("frequency", "int", REQUIRED), ("duration", "int", -1),
                                      ("pin", "obj", DEFAULT_PIN0), ("wait", "bool", True)))
        state.pitch(a["frequency"], a["duration"], _pin(board, a["pin"]), a["wait"])

    def stop(*args: Any, **kwargs: Any) -> None:
        """Stop the music on the speaker and the given pin."""
        if kwargs:  # the pin is positional only (§19.3)
            raise no_keywords()
        if len(args) > 1:
            raise TypeError(f"function expected at most 1 arguments, got {len(args)}")
        state.stop(_pin(board, args[0] if args else DEFAULT_PIN0))

    def reset() -> None:
        """Tempo, octave and duration back to ticks=4, bpm=120, duration=4, octave=4."""
        state.bpm, state.ticks = DEFAULT_BPM, DEFAULT_TICKS
        state.octave, state.duration = DEFAULT_OCTAVE, DEFAULT_DURATION

    names: dict[str, Any] = {fn.__name__: (c_function if fn in (get_tempo, reset) else api)(fn)
                             for fn in (set_tempo, get_tempo, play, pitch, stop, reset)}
    names.update((tune, getattr(musicdata, tune)) for tune in musicdata.NAMES)
    return names
