"""``speech`` (§20): SAM on the virtual board against the real V1 firmware's recordings.

``tests/fidelity/expected/speech_translate.json`` and ``speech_say.json`` are what the
V1 firmware (micro:bit MicroPython 1.1.1 under QEMU) answered: ``translate`` of 130+
texts, the ``debug=True`` printouts (phonemes, lengths, stress and every frame's
formants and pitch), how long calls block, and the errors of bad calls
(``tests/fidelity/speech_record.py`` records them). Audio facts from SAM's sources
(``lib/sam``): a voiced frame is ``speed`` samples of 162 clock units (the first frame
72), noise phonemes take fixed time, a glottal pulse is ``pitch`` samples; V2 plays
``units >> 6`` samples at 19 kHz in 128-sample chunks (``modspeech.c``).
"""

from __future__ import annotations

import base64
import json
import math
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from tests.fidelity import speech_record
from tests.sim.runner import run_program
from ubit.sim.board.board import Board
from ubit.sim.board.clock import Clock
from ubit.sim.board.parts import audio as audio_out
from ubit.sim.board.parts import speaker as speaker_part
from ubit.sim.micropython.modules import speech as speech_module
from ubit.sim.shared.boards import V1, V2, BoardSpec
from ubit.sim.shared.sound import sam
from ubit.sim.shared.sound.sam import render_tables as tables
from ubit.sim.shared.sound.sam.reciter import reads_outside

EXPECTED = Path(__file__).resolve().parents[1] / "fidelity" / "expected"
TRANSLATE = json.loads((EXPECTED / "speech_translate.json").read_text(encoding="utf-8"))
SAY = json.loads((EXPECTED / "speech_say.json").read_text(encoding="utf-8"))
UNITS_PER_SECOND_V2 = 64 * 19_000  # SAM clock units per second as V2 plays them
VOICED_UNITS = 162  # timetable[0][0]: one voiced sample


class Serial:
    """A serial port that keeps what the board prints."""

    def __init__(self) -> None:
        self.data = bytearray()

    def write(self, data: bytes) -> None:
        """Keep ``data``."""
        self.data += data

    def write_text(self, text: str) -> None:
        """Keep ``text`` as the firmware prints it."""
        self.write(text.replace("\n", "\r\n").encode())


class SpeechRig:
    """An in-process board in virtual time: ``speech``'s names, its audio events, its serial."""

    def __init__(self, spec: BoardSpec = V2) -> None:
        self.events: list[tuple[str, Any]] = []
        self.serial = Serial()
        self.device = Board(spec, Clock(virtual=True), self.serial,  # type: ignore[arg-type]
                             {}, lambda part, value: self.events.append((part, value)))
        self.speech = SimpleNamespace(**speech_module.create(self.device))

    def timed(self, call: str) -> float:
        """Run ``call`` (source using ``speech``); the virtual ms it took."""
        start = self.device.clock.now_us()
        exec(call, {"speech": self.speech})  # noqa: S102 - the recorded calls
        return (self.device.clock.now_us() - start) / 1000

    def clips(self) -> list[tuple[str, int, bytes]]:
        """Every clip played: (channel, rate, samples)."""
        return [(value["clip"], value["rate"], base64.b64decode(value["pcm"]))
                for part, value in self.events if part == "audio" and "clip" in value]


def clip_of(call: str, spec: BoardSpec = V2) -> tuple[int, bytes]:
    """The rate and samples of the one clip ``call`` plays."""
    board = SpeechRig(spec)
    board.timed(call)
    (_, rate, pcm), = board.clips()
    return rate, pcm


def period(pcm: bytes, low: int, high: int) -> int:
    """The lag in ``low..high`` samples where ``pcm`` best matches itself (autocorrelation)."""
    middle = [value - 128 for value in pcm[len(pcm) // 4: len(pcm) * 3 // 4]]
    best, best_lag = -math.inf, low
    for lag in range(low, high + 1):
        score = sum(a * b for a, b in zip(middle, middle[lag:], strict=False)) / (len(middle) - lag)
        if score > best:
            best, best_lag = score, lag
    return best_lag


# -- translate -------------------------------------------------------------------------------
def test_translate_equals_the_firmware_for_every_recorded_text():
    items = TRANSLATE["items"]
    assert len(items) >= 60
    matched, heap = 0, []
    for item in items:
        text = item["text"]
        if reads_outside(text):  # the phonemes overran the text: the firmware reads its heap
            heap.append(text)
            continue
        try:
            got = {"result": sam.translate(text)}
        except ValueError as error:
            got = {"error": f"ValueError: {error}"}
        assert got == {k: v for k, v in item.items() if k != "text"}, text
        matched += 1
    assert matched >= len(items) - 3 and all(text.startswith("0.0.0.") for text in heap)


def test_translate_through_the_module_takes_str_or_bytes_and_checks_its_argument():
    speech = SpeechRig(V1).speech
    assert speech.translate("hello world") == " /HEHLOW WERLD"  # the leading space is kept
    assert speech.translate(b"hello") == " /HEHLOW"
    assert speech.translate("x" * 80).startswith(" ZKSKS")
    with pytest.raises(ValueError, match="^text too long$"):
        speech.translate("x" * 81)
    with pytest.raises(TypeError, match="can't convert 'int' object to str implicitly"):
        speech.translate(123)
    with pytest.raises(TypeError, match="takes 1 positional arguments but 0 were given"):
        speech.translate()
    with pytest.raises(TypeError, match="take keyword arguments"):  # V1's words: recorded
        speech.translate(words="a")


# -- the firmware's debug printout: phonemes, lengths, every frame ---------------------------
@pytest.mark.parametrize("label", list(SAY["debug"]))
def test_debug_printout_equals_the_firmware(label):
    recorded = SAY["debug"][label]
    board = SpeechRig(V1)
    board.timed(recorded["call"])
    assert board.serial.data.decode().replace("\r\n", "\n") == recorded["output"]


# -- how long the calls take --------------------------------------------------------------------
def test_v1_calls_block_as_long_as_on_the_firmware():
    board = SpeechRig(V1)
    for item in SAY["timed_ms"]:
        took = board.timed(item["call"])
        # QEMU's own timing wobbles by a few ms; the long ones by a few more
        assert abs(took - item["ms"]) <= max(8, item["ms"] * 0.015), (item["label"], took)


def test_duration_follows_speed_as_sam_counts_it():
    for speed in (36, 72, 144, 255):
        board = SpeechRig()
        took = board.timed(f"speech.pronounce('AA' * 10, speed={speed})")  # 110 voiced frames
        units = VOICED_UNITS * (72 + 109 * speed)  # the first frame is always 72 samples
        samples = -(-(units >> 6) // 128) * 128  # whole 128-sample chunks
        assert took == pytest.approx(samples / 19, abs=0.001)
    short, normal = SpeechRig().timed("speech.say('hello world', speed=36)"), SpeechRig().timed(
        "speech.say('hello world')")
    assert 0.5 < short / normal < 0.56  # about half: a lower speed is faster speech
    # noise (S) takes its own time whatever the speed
    assert SpeechRig().timed("speech.pronounce('S' * 10, speed=36)") == SpeechRig().timed(
        "speech.pronounce('S' * 10, speed=200)")


def test_virtual_time_of_say_is_the_audio_duration():
    board = SpeechRig()
    took = board.timed("speech.say('Hello, how are you?')")
    (channel, rate, pcm), = board.clips()
    assert channel == "speech" and rate == 19_000 and len(pcm) % 128 == 0
    assert took * 1000 == len(pcm) * 1_000_000 // rate


# -- the sound ----------------------------------------------------------------------------------
def test_say_makes_voiced_speech():
    rate, pcm = clip_of("speech.say('hello world')")
    assert rate == 19_000 and len(pcm) > rate // 2
    centred = [value - 128 for value in pcm]
    rms = math.sqrt(sum(v * v for v in centred) / len(centred))
    assert rms > 20  # loud (V2's volume 4 spreads SAM's levels over the full range)
    assert min(pcm) <= 8 and max(pcm) >= 248
    # voiced: a fundamental at speech pitch (default pitch 64, 162 units per sample)
    lag = period(pcm, 19_000 // 300, 19_000 // 60)
    assert 60 <= 19_000 / lag <= 300
    # and not a tone: the spectrum changes from phoneme to phoneme
    quarter = len(pcm) // 4
    assert pcm[quarter:quarter + 500] != pcm[2 * quarter:2 * quarter + 500]


def test_a_glottal_pulse_is_the_sum_of_the_three_formants():
    # the recorded frames of pronounce('AA') as the firmware plays them (speech_say.json):
    # amp1 15, freq1 27, amp2 11, freq2 40, amp3 1, freq3 89, pitch 51
    table = SAY["debug"]["pronounce AA"]["output"].split("-" * 48 + "\n")[1].splitlines()[0]
    _, a1, f1, a2, f2, a3, f3, pitch = map(int, table.split())
    expected = []
    for k in range(pitch):  # the phases restart with each pulse
        m1 = tables.MULTIPLY[tables.SINE[k * f1 & 255] | a1]
        m2 = tables.MULTIPLY[tables.SINE[k * f2 & 255] | a2]
        m3 = tables.MULTIPLY[tables.SQUARE[k * f3 & 255] | a3]
        expected.append(((m1 + m2 + m3 + (m1 + m2 > 255) + 136) & 255) >> 4 << 4)
    values = sam.synthesize("AA").values
    assert list(values[:pitch]) == expected == list(values[pitch:2 * pitch])


@pytest.mark.parametrize("note", [115, 88, 70, 58])
def test_sing_hits_the_pitch_of_its_mark(note):
    rate, pcm = clip_of(f"speech.sing('#{note}' + 'AA' * 8)")
    expected = VOICED_UNITS * note / 64  # a glottal pulse is `note` samples of SAM's clock
    lag = period(pcm, int(expected * 0.8), int(expected * 1.2))
    assert lag == pytest.approx(expected, rel=0.02)
    assert rate / lag == pytest.approx(UNITS_PER_SECOND_V2 / (VOICED_UNITS * note), rel=0.02)


def test_v2_mode_volume_and_v1_output():
    rate, plain = clip_of("speech.say('hi', volume=0)")
    assert rate == 19_000 and {value % 16 for value in plain} == {0}  # SAM's 4-bit levels
    rate3, fine = clip_of("speech.say('hi', mode=3)")
    assert rate3 == 38_000 and abs(len(fine) / 2 - len(clip_of("speech.say('hi')")[1])) <= 128
    assert clip_of("speech.say('hi', mode=2)")[1] != clip_of("speech.say('hi', mode=1)")[1]
    silent = SpeechRig()
    assert silent.timed("speech.say('hello', mode=0)") == 0 and not silent.clips()
    v1 = SpeechRig(V1)
    v1.timed("speech.say('hi')")
    (channel, rate, pcm), = v1.clips()
    assert channel == "audio" and rate == 15_625 and pcm[0::2] == pcm[1::2]


def test_pin_none_with_the_speaker_off_is_silent():
    heard = []
    for on in (True, False):
        board = SpeechRig()
        speaker_part.of(board.device).set_on(on)  # as microbit.speaker.on()/off() do
        speaker_part.update_output(board.device)
        samples: list[int] = []
        stream = audio_out.of(board.device)
        stream.attach(lambda _t, chunk, out=samples: out.extend(chunk))
        board.timed("speech.say('hello', pin=None)")
        stream.flush()
        heard.append(max(abs(v) for v in samples))
    assert heard[0] > 1000 and heard[1] == 0


# -- errors, arguments, pins ---------------------------------------------------------------------
def test_errors_equal_the_firmware_v1():
    items = SAY["errors"]
    calls = [(item["label"], item["call"]) for item in items]
    per_boot = speech_record.CALLS_PER_BOOT  # as recorded: all at once is too big to compile
    output = "".join(run_program(speech_record.calls_program("E", calls[i:i + per_boot], i),
                                 board="v1").text for i in range(0, len(calls), per_boot))
    found = dict(line.split("\t", 1) for line in output.splitlines() if line.startswith("E"))
    assert len(items) >= 30
    for i, item in enumerate(items):
        assert found[f"E{i}"] == item["result"], item["label"]


def test_sam_errors_and_bad_arguments_v2():
    speech = SpeechRig().speech
    for phonemes, message in (("XYZ", "Phoneme not understood"), ("#256AA", "Illegal pitch"),
                              ("#AA", "Illegal pitch"), ("AX" * 128, "Phonemes too long")):
        with pytest.raises(ValueError, match=f"^{message}$"):
            speech.pronounce(phonemes)
    speech.pronounce("5aa#255AX*")  # lowercase, a lost leading stress, a pitch mark, '*'
    with pytest.raises(TypeError, match="^extra positional arguments given$"):
        speech.say("hi", 72)
    with pytest.raises(TypeError, match="^extra keyword arguments given$"):
        speech.say("hi", loud=True)
    with pytest.raises(TypeError, match="^can't convert str to int$"):
        speech.sing("AA", mode="x")
    with pytest.raises(TypeError, match="required positional"):
        speech.sing()
    with pytest.raises(TypeError, match="^expecting a pin$"):
        speech.say("hi", pin="pin0")


def test_pins_v2_route_and_v1_frees():
    v2 = run_program("import speech\nfrom microbit import *\nspeech.say('a')\n"
                     "print(pin0.get_mode())\nspeech.say('a', pin=pin1)\n"
                     "print(pin0.get_mode(), pin1.get_mode())\n"
                     "try:\n    speech.say('a', pin=pin_speaker)\n"
                     "except ValueError as e:\n    print(e)\n", board="v2")
    assert v2.text == "audio\nunused audio\npin_speaker not allowed\n"
    v1 = run_program("import speech\nfrom microbit import *\npin1.write_digital(1)\n"
                     "speech.say('a')\nprint(pin0.get_mode(), pin1.get_mode())\n", board="v1")
    assert v1.text == "unused unused\n"  # as recorded: the probe for a speaker frees pins 1, 2


def test_ctrl_c_cuts_the_speech():
    board = SpeechRig()
    clock = board.device.clock

    def interrupted(_us: float) -> None:
        raise KeyboardInterrupt

    clock.sleep_us = interrupted  # type: ignore[method-assign]
    with pytest.raises(KeyboardInterrupt):
        board.speech.say("hello world")
    audio = [value for part, value in board.events if part == "audio"]
    assert audio[-1] == {"cut": "speech", "t": 0.0}
