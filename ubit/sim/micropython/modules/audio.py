"""``audio`` (reference §15): sounds, sound effects and audio frames, timed on the board clock.

V2 (``modaudio.c``, v2.1.2): ``play`` takes a ``Sound``, a ``SoundEffect``, a list/tuple
of them (when its first item is one) or any iterable of ``AudioFrame``. Sounds and
effects go to CODAL's synthesiser as sound expressions (``ubit.sim.shared.sound.effects``),
rendered here 100 ms at a time as clips on the ``sound`` channel; the synthesiser counts
what it was asked to play and what it finished, and ``is_playing`` is true while that
count is above zero (so an expression CODAL can't parse, which never finishes, keeps it
true, as on the device). A new sound replaces the one playing; ``stop()`` stops only
frames. Frames play back to back at 7812 Hz (V1: 7812.5), each copied when it is fetched
one frame ahead (so a generator may reuse one frame), as clips on the ``audio`` channel;
a source that yields something else stops with ``TypeError: not an AudioFrame``, raised
in the program when it is found. ``pin=None`` plays on the speaker alone.

V1 (``modaudio.cpp``): frames only; ``pin=None`` means pin 0 (after the firmware's probe
for a speaker between two of pins 0–2, which finds none here); ``stop()`` and the end of
a source free the pins.
"""

from __future__ import annotations

import random
import threading
from collections.abc import Iterator

from ubit.sim.board.board import Board
from ubit.sim.board.clock import Timer, TimeUp
from ubit.sim.board.parts import audio as audio_out
from ubit.sim.board.parts import pins as pins_part
from ubit.sim.board.parts import speaker as speaker_part
from ubit.sim.micropython.api.builtinsounds import sound_name
from ubit.sim.micropython.api.buses import DEFAULT_PIN0, REQUIRED, parse_args, pin_id, require_pin
from ubit.sim.micropython.api.buttons import fixed_args
from ubit.sim.micropython.boundary import api
from ubit.sim.micropython.modules.audiotypes import (
    AudioFrame,
    SoundEffect,
    expression_of,
    frame_bytes,
)
from ubit.sim.shared.sound import effects
from ubit.sim.shared.sound.frames import RATE_V1, RATE_V2, FramePlacer
from ubit.sim.shared.typenames import Any

SOUND_CHANNEL, FRAME_CHANNEL = "sound", "audio"  # the stream's clip channels
CHUNK_US = 100_000  # a sound expression is rendered and published 100 ms at a time
CHUNK_SAMPLES = effects.RATE * CHUNK_US // 1_000_000
SOUND_MODES = ("music", "audio")  # the pin modes of a pin the sound is routed to
INVALID = "x"  # an expression CODAL rejects (an item of a list that is no SoundEffect)
STATE = "audio_module"  # where the device keeps the module's state


class _Expression:
    """One sound expression playing: its samples still to publish, and when it ends."""

    def __init__(self, renderer: effects.Renderer, start_us: int) -> None:
        self.renderer = renderer
        self.start_us = start_us
        self.end_us = start_us - (-renderer.total * 1_000_000 // effects.RATE)
        self.timers: list[Timer] = []


class _Frames:
    """A source of frames being streamed: the next frame fetched, and where frames go."""

    def __init__(self, source: Iterator[Any], placer: FramePlacer, pins: tuple[str, ...]) -> None:
        self.source = source
        self.placer = placer
        self.pins = pins
        self.running = True
        self.pending: bytes | None = None
        self.timer: Timer | None = None


class Audio:
    """The module's state: the frames streaming and (V2) the synthesiser's sounds."""

    def __init__(self, board: Board) -> None:
        self.board = board
        self.clock = board.clock
        spec = board.spec
        self.routed = spec.audio_routed  # V2: one pin through the mixer (V1 drives the pins)
        self.mixed = spec.audio_frames_mixed  # V2: frames smoothed; the last one plays out
        self.expressions = spec.sound_expressions  # V2: the synthesiser's sounds
        self.stream = audio_out.of(board)
        self.pins = pins_part.of(board)
        self.frames: _Frames | None = None
        self.active = 0  # sounds the synthesiser was asked to play and hasn't finished
        self.sound: _Expression | None = None
        self._rng: random.Random | None = None
        self._lock = threading.RLock()  # real time: chunk timers run on the ticker thread

    # -- pins --------------------------------------------------------------------------------
    def select_pin_v2(self, value: Any) -> str | None:
        """Route the sound to a pin, or to none (``microbit_pin_audio_select``)."""
        if value is DEFAULT_PIN0:
            pin: str | None = "pin0"
        elif value is None:
            pin = None
        else:
            ident = pin_id(self.board, value)
            if ident == "pin_speaker":
                raise ValueError("pin_speaker not allowed")
            pin = require_pin(self.board, value)
        routed = speaker_part.of(self.board).routed
        if routed is not None and self.pins.mode_of(routed) not in SOUND_MODES:
            routed = None  # another use took the pin, and with it the sound's route
        if pin != routed and routed is not None:
            self.pins.release(routed)
        if pin is not None:  # the pin the sound goes to already only changes its mode
            self.pins.acquire(pin, "audio", force=pin == routed)
        speaker_part.route(self.board, pin)
        return pin

    def select_pins_v1(self, pin: Any, return_pin: Any) -> tuple[str, ...]:
        """The pins V1 plays on (``audio_play_source``)."""
        if pin is None:
            if return_pin is not None:
                raise TypeError("cannot set return_pin without pin")
            for big in ("pin0", "pin1", "pin2"):  # probed for a speaker across two of them
                if self.pins.can_release(big):
                    self.pins.acquire(big, "unused")
            chosen: tuple[str, ...] = ("pin0",)
        else:
            chosen = (require_pin(self.board, pin),)
            if return_pin is not None:
                chosen = (require_pin(self.board, return_pin), chosen[0])
        for name in chosen:
            self.pins.acquire(name, "audio")
        return chosen

    def _mark_playing(self) -> None:
        """V2 locks the routed pin while anything of audio plays (§8.3)."""
        routed = speaker_part.of(self.board).routed
        if self.routed and routed is not None:
            self.pins.set_playing(routed, self.is_playing())

    # -- sound expressions (V2) --------------------------------------------------------------
    def play_expression(self, expression: str, wait: bool) -> None:
        """Have the synthesiser play ``expression`` (replacing its sound); maybe wait."""
        with self._lock:
            self.active += 1
            self._stop_expression()
            if self._rng is None:  # CODAL's own generator, seeded from the board's
                self._rng = random.Random(self.board.random.getrandbits(32))
            parsed = effects.parse(expression, self._rng.randrange)
            if parsed is not None:  # else nothing plays, and nothing ever reports done
                sound = _Expression(effects.Renderer(parsed), self.clock.now_us())
                if sound.renderer.total:
                    self.sound = sound
                    self._publish_chunk(sound, 0)
                    sound.timers.append(self.clock.call_at(sound.end_us,
                                                           lambda: self._finish(sound)))
                else:
                    self.active -= 1
            self._mark_playing()
        if wait:
            self._wait_expression()

    def _publish_chunk(self, sound: _Expression, index: int) -> None:
        with self._lock:
            if sound is not self.sound:
                return
            at_us = sound.start_us + index * CHUNK_US  # each chunk on the next 1600 samples
            self.stream.play_clip(sound.renderer.read(CHUNK_SAMPLES), effects.RATE,
                                  SOUND_CHANNEL, at_us)
            if sound.renderer.done < sound.renderer.total:
                sound.timers.append(self.clock.call_at(
                    at_us + CHUNK_US, lambda: self._publish_chunk(sound, index + 1)))

    def _finish(self, sound: _Expression) -> None:
        with self._lock:
            if sound is self.sound:
                self.sound = None
                self.active -= 1
                self._mark_playing()

    def _stop_expression(self) -> None:
        """Cut the sound playing; the synthesiser reports it done."""
        sound, self.sound = self.sound, None
        if sound is not None:
            for timer in sound.timers:
                timer.cancel()
            self.stream.cut(SOUND_CHANNEL)
            self.active -= 1

    def finish(self) -> None:
        """Let a sound the program left playing (``wait=False``) play to its end."""
        try:
            while (sound := self.sound) is not None:
                self.clock.sleep_us(max(1, sound.end_us - self.clock.now_us()))
        except (KeyboardInterrupt, TimeUp):
            with self._lock:
                self._stop_expression()

    def _wait_expression(self) -> None:
        try:
            while self.active > 0:
                sound = self.sound
                # a sound that never reports done is waited for as long as the run lasts
                left = sound.end_us - self.clock.now_us() if sound else 1_000_000
                self.clock.sleep_us(max(1, left))
        except BaseException:  # Ctrl-C (or the end of the run) stops the sound too
            with self._lock:
                self._stop_expression()
                self._mark_playing()
            raise

    # -- frames ------------------------------------------------------------------------------
    def play_frames(self, source: Any, pins: tuple[str, ...], wait: bool) -> None:
        """Stream the AudioFrames of ``source``, each fetched while the one before plays."""
        iterator = iter(source)
        rate = RATE_V2 if self.mixed else RATE_V1
        playback = _Frames(iterator, FramePlacer(self.clock.now_us(), rate, self.mixed), pins)
        self.frames = playback
        self._mark_playing()
        try:
            first = self._fetch(playback)
            if first is not None:
                self._publish_frame(playback, first)
                playback.pending = self._fetch(playback)
        finally:
            self._after_fetch(playback)
        if wait:
            while self.frames is playback:
                due = playback.timer.due_us if playback.timer else self.clock.now_us() + 1
                self.clock.sleep_us(max(1, due - self.clock.now_us()))

    def _fetch(self, playback: _Frames) -> bytes | None:
        """The next frame's samples (copied now), or None at the end; errors end it too."""
        try:
            item = next(playback.source)
        except StopIteration:
            playback.running = False
            return None
        except BaseException:
            playback.running = False
            raise
        if type(item) is not AudioFrame:
            playback.running = False
            raise TypeError("not an AudioFrame")
        return frame_bytes(item)

    def _publish_frame(self, playback: _Frames, frame: bytes) -> None:
        at_us, pcm = playback.placer.place(frame)
        self.stream.play_clip(pcm, effects.RATE, FRAME_CHANNEL, at_us)

    def _after_fetch(self, playback: _Frames) -> None:
        """Plan what happens when the frame playing now ends."""
        if playback is not self.frames:
            return
        due = playback.placer.start_us(playback.placer.count)
        if playback.pending is not None:
            playback.timer = self.clock.call_at(due, lambda: self._next_frame(playback),
                                                in_program=True)  # the source is user code
        elif self.mixed:  # V2 stops as soon as the source runs out; the last frame plays on
            self.stop_frames(playback)
        else:  # V1 stops when it next looks for a frame: as the last one ends
            playback.timer = self.clock.call_at(due, lambda: self.stop_frames(playback))

    def _next_frame(self, playback: _Frames) -> None:
        """The frame fetched last starts playing; fetch the one after it."""
        if playback is not self.frames or playback.pending is None:
            return
        frame, playback.pending = playback.pending, None
        self._publish_frame(playback, frame)
        try:
            if playback.running:
                playback.pending = self._fetch(playback)
        finally:
            self._after_fetch(playback)

    def stop_frames(self, playback: _Frames | None = None) -> None:
        """Stop streaming frames (V2: the frame playing ends; V1: the output stops now)."""
        playback = playback or self.frames
        if playback is None or playback is not self.frames:
            return
        self.frames = None
        playback.running = False
        if playback.timer is not None:
            playback.timer.cancel()
        if not self.mixed:
            self.stream.cut(FRAME_CHANNEL)
            for name in playback.pins:
                self.pins.release(name, "audio")
        self._mark_playing()

    # -- the functions -----------------------------------------------------------------------
    def is_playing(self) -> bool:
        """Whether frames stream, or (V2) the synthesiser has a sound to finish."""
        return self.frames is not None or (self.expressions and self.active > 0)


def _expression(source: Any) -> str | None:
    """The sound expression a V2 source plays, or None if it is a source of frames."""
    name = sound_name(source)
    if name is not None:
        return name
    if type(source) is SoundEffect:
        return expression_of(source)
    if type(source) in (list, tuple) and source and type(source[0]) is SoundEffect:
        return ",".join(expression_of(item) if type(item) is SoundEffect else INVALID
                        for item in source)
    return None


def create(board: Board) -> dict[str, Any]:
    """The names of ``audio`` on ``device``."""
    state = state_of(board)
    routed = state.routed

    def play(*args: Any, **kwargs: Any) -> None:
        """Play a Sound, a SoundEffect (or a list of them) or an iterable of AudioFrames."""
        a = parse_args(args, kwargs, (("source", "obj", REQUIRED), ("wait", "bool", True),
                                      ("pin", "obj", DEFAULT_PIN0 if routed else None),
                                      ("return_pin", "obj", None)))
        board.clock.poll()
        if routed and a["return_pin"] is not None:
            raise ValueError("return_pin not supported")
        state.stop_frames()  # a new play stops the frames streaming
        if not routed:
            pins = state.select_pins_v1(a["pin"], a["return_pin"])
            state.play_frames(a["source"], pins, a["wait"])
            return
        pin = state.select_pin_v2(a["pin"])
        expression = _expression(a["source"]) if state.expressions else None
        if expression is not None:
            state.play_expression(expression, a["wait"])
        else:
            state.play_frames(a["source"], () if pin is None else (pin,), a["wait"])

    def is_playing() -> bool:
        """Whether audio is playing."""
        board.clock.poll()
        return state.is_playing()

    def stop() -> None:
        """Stop streaming frames (on V2 a Sound or SoundEffect plays on)."""
        board.clock.poll()
        state.stop_frames()

    names: dict[str, Any] = {"__name__": "audio", "stop": api(fixed_args(stop)),
                             "play": api(play), "is_playing": api(fixed_args(is_playing)),
                             "AudioFrame": AudioFrame}
    if state.expressions:
        names["SoundEffect"] = SoundEffect
    return names


def state_of(board: Board) -> Audio:
    """The device's audio state (made on first use; its sound may play on at the end)."""
    def make() -> Audio:
        state = Audio(board)
        board.at_end.append(state.finish)
        return state

    return board.module_state(STATE, make)


def finish(board: Board) -> None:
    """When the program ends: a Sound or SoundEffect still playing plays to its end.

    On the device it goes on while the REPL runs; a run that ends with the program would
    otherwise cut it (and a recording of it) short. Frames are not waited for: their
    source may never end.
    """
    state = board.module_states.get(STATE)
    if state is not None:
        state.finish()
