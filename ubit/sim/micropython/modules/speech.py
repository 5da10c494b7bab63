"""``speech`` (reference §20): SAM's speech on the board's audio stream, on the board clock.

The words and phonemes are rendered as the firmware's SAM renders them
(``ubit.sim.shared.sound.sam``); the samples go to the audio stream as one clip and the call sleeps
on the board clock while it plays, so a headless run takes the speech's time in virtual
time and no wall time. Ctrl-C cuts the speech and raises.

V2 (``src/codal_port/modspeech.c``): a dedicated channel (the ``speech`` clip channel),
19 kHz by default (``mode``), samples rescaled by ``volume``; the sound is routed like
music's and audio's (``pin=None``: the speaker alone); SAM's errors stop ``audio`` frames.
V1 (``source/microbit/modspeech.c``): through the audio module's output (the ``audio``
channel; it stops what ``audio.play`` was playing) on pin 0, found by the audio
module's probe of pins 0–2; the pin is free again afterwards. The V1 call also takes
its start-up and each breath group's set-up time (measured under QEMU: about 12 ms
and 4 ms more a group), played here as silence after the speech.
"""

from __future__ import annotations

from ubit.sim.board.board import Board
from ubit.sim.micropython.api.buses import DEFAULT_PIN0, parse_args
from ubit.sim.micropython.args import check_count, no_keywords, type_name
from ubit.sim.micropython.boundary import api
from ubit.sim.micropython.modules import audio as audio_module
from ubit.sim.shared.sound import sam
from ubit.sim.shared.typenames import Any

SPEECH_CHANNEL = "speech"  # V2's speech has its own mixer channel
V1_CHANNEL = audio_module.FRAME_CHANNEL  # V1 speaks through the audio module
V1_FRAME_SAMPLES = 2 * 32  # a V1 audio frame at the 15625 Hz the clip is given at
V1_START_FRAMES, V1_GROUP_FRAMES = 3, 1  # see the module docstring
_OPTIONS = (("pitch", "*int", sam.DEFAULT_PITCH), ("speed", "*int", sam.DEFAULT_SPEED),
            ("mouth", "*int", sam.DEFAULT_MOUTH), ("throat", "*int", sam.DEFAULT_THROAT),
            ("debug", "*bool", False))
_V2_OPTIONS = (("mode", "*int", 1), ("volume", "*int", 4), ("pin", "*obj", DEFAULT_PIN0))


def text_bytes(value: Any) -> bytes:
    """``mp_obj_str_get_data``: the bytes of a str or bytes object, else TypeError."""
    if isinstance(value, str):
        return value.encode("utf-8", "surrogateescape")
    if isinstance(value, bytes):
        return value
    raise TypeError(f"can't convert '{type_name(value)}' object to str implicitly")


class Speech:
    """The module's state: SAM's last output kind, and the board's sound outputs."""

    def __init__(self, board: Board) -> None:
        self.board = board
        self.clock = board.clock
        # V2: a channel of its own, with mode, volume and pin; V1: the audio module's output
        self.own_channel = board.spec.speech_channel
        self.audio = audio_module.state_of(board)
        self.stream = self.audio.stream
        self.previous = 0  # SAM carries its last output's kind into the next speech

    def articulate(self, phonemes: Any, options: dict[str, Any], sing: bool) -> None:
        """Speak (or sing) ``phonemes`` with the parsed ``options``; block until done."""
        text = text_bytes(phonemes)
        if self.own_channel:
            self.audio.select_pin_v2(options["pin"])
        else:
            self.audio.stop_frames()
            self.audio.select_pins_v1(None, None)
        try:
            speech = sam.synthesize(text, pitch=options["pitch"], speed=options["speed"],
                                    mouth=options["mouth"], throat=options["throat"],
                                    sing=sing, debug=options["debug"], previous=self.previous)
        except sam.SamError as error:
            self._stop()
            raise ValueError(str(error)) from None
        self.previous = speech.last_kind
        self._print(speech.log)
        if self.own_channel:
            pcm, rate = speech.v2_samples(options["mode"], options["volume"])
        else:
            pcm, rate = speech.v1_samples()
            silence = V1_START_FRAMES + V1_GROUP_FRAMES * max(0, speech.groups - 1)
            pcm += bytes([128]) * (silence * V1_FRAME_SAMPLES)
        channel = SPEECH_CHANNEL if self.own_channel else V1_CHANNEL
        try:
            if pcm:
                self.clock.sleep_us(self.stream.play_clip(pcm, rate, channel))
        except BaseException:  # Ctrl-C (or the end of the run) cuts the speech
            self.stream.cut(channel)
            self._stop(failed=False)
            raise
        self._stop(failed=False)
        if options["debug"]:
            self._print("Glitches: 0\r\n")

    def _stop(self, failed: bool = True) -> None:
        """The end of speech: V1 frees pin 0; SAM failing on V2 stops ``audio`` frames."""
        if not self.own_channel:
            self.audio.pins.release("pin0", "audio")
        elif failed:
            self.audio.stop_frames()  # microbit_audio_stop()

    def _print(self, text: str) -> None:
        if text and self.board.serial is not None:
            self.board.serial.write(text.encode("latin-1"))


def create(board: Board) -> dict[str, Any]:
    """The names of ``speech`` on ``device``."""
    state = Speech(board)
    allowed = _OPTIONS + _V2_OPTIONS if state.own_channel else _OPTIONS

    def translate(*args: Any, **kwargs: Any) -> str:
        """English text (up to 80 characters) to SAM's phonemes."""
        if kwargs:
            raise no_keywords()
        check_count(len(args), 1, 1)
        return sam.translate(text_bytes(args[0]))

    def first(args: tuple[Any, ...]) -> Any:
        if not args:  # MP_DEFINE_CONST_FUN_OBJ_KW(..., 1, ...): the text is required
            raise TypeError("function missing 1 required positional arguments")
        return args[0]

    def say(*args: Any, **kwargs: Any) -> None:
        """Speak English text."""
        phonemes = translate(first(args))
        state.articulate(phonemes, parse_args(args[1:], kwargs, allowed), sing=False)

    def pronounce(*args: Any, **kwargs: Any) -> None:
        """Speak SAM phonemes."""
        phonemes = first(args)
        state.articulate(phonemes, parse_args(args[1:], kwargs, allowed), sing=False)

    def sing(*args: Any, **kwargs: Any) -> None:
        """Sing SAM phonemes (``#NN`` sets the note; no speech intonation)."""
        phonemes = first(args)
        state.articulate(phonemes, parse_args(args[1:], kwargs, allowed), sing=True)

    return {fn.__name__: api(fn) for fn in (translate, say, pronounce, sing)}
