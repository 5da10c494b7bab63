"""V2 sound (``Sound``, ``audio.SoundEffect``), ``audio`` frames on both boards, volume, live play.

Expected values: the fact sheet's §4 (set_volume), §12 (speaker), §13 (the built-in
sounds' expressions and segment counts), §14 (SoundEffect), §15 (audio, AudioFrame) and
the CODAL synthesiser's formulas (``SoundSynthesizerEffects.cpp``: the shape track's
step k sets linear f0 + (f1-f0)*k/steps, curve f0 + sin(k°)*(f1-f0), log
f0 + log10(k)*(f1-f0)/1.95; the volume ramps in 36 steps).
"""

from __future__ import annotations

import binascii
import math
import random
import sys
import textwrap
from array import array
from typing import Any

import pytest

from tests.sim.runner import Result, run_program
from ubit.sim.board.board import Board
from ubit.sim.board.clock import Clock
from ubit.sim.board.parts import audio as audio_out
from ubit.sim.host import player
from ubit.sim.host.recorder import AudioRecorder
from ubit.sim.micropython.api import sensors
from ubit.sim.micropython.modules import audio as audio_module
from ubit.sim.shared.boards import V2, BoardSpec
from ubit.sim.shared.sound import effects, synth
from ubit.sim.shared.sound.frames import RATE_V1, RATE_V2, FramePlacer

RATE = effects.RATE


def run(source: str, **kwargs: Any) -> Result:
    """Run a dedented program (``import audio``, ``from microbit import *`` first)."""
    return run_program("import audio\nfrom microbit import *\n" + textwrap.dedent(source),
                       **kwargs)


def expression(fs: int = 500, fe: int = 2500, ms: int = 500, vs: int = 1023, ve: int = 1023,
               wave: int = 3, shape: int = 1, steps: int = 128, fx: int = 0, fx_param: int = 1,
               fx_steps: int = 24, random_ms: int = 0) -> str:
    """A 72-digit effect (§14.2 layout); volumes 0–1023."""
    return (f"{wave}{vs:04}{fs:04}{ms:04}{shape:02}440{fe:04}0888{ve:04}{steps:04}{fx:02}"
            f"{fx_param:04}{fx_steps:04}" + "0" * 16 + f"{random_ms:04}" + "0" * 8)


def samples(expr: str, seed: int = 1) -> array:
    """The expression rendered, centred on zero as 16-bit samples."""
    parsed = effects.parse(expr, random.Random(seed).randrange)
    assert parsed is not None
    return array("h", [(v - 128) * 256 for v in effects.render(parsed)])


def near(value: float | None, expected: float, tolerance: float = 0.02) -> bool:
    return value is not None and abs(value - expected) <= expected * tolerance


def amplitude(wave: array) -> int:
    return max(wave) - min(wave) if wave else 0


# -- the synthesiser (CODAL's formulas) --------------------------------------------------------
def test_linear_sweep_from_start_to_end_frequency_over_the_duration():
    wave = samples(expression(500, 2500, ms=2000, shape=1))
    assert len(wave) == 2000 * RATE // 1000  # the duration, to the sample
    step = len(wave) // 128  # 250 samples a step
    for k in (0, 32, 64, 127):  # the frequency each step sets, measured within it
        expected = 500 + 2000 * k / 128
        assert near(synth.measure_frequency(wave[k * step:(k + 1) * step]), expected), k
    down = samples(expression(3000, 1000, ms=2000, shape=1))
    assert near(synth.measure_frequency(down[:step]), 3000)
    assert near(synth.measure_frequency(down[-step:]), 3000 - 2000 * 127 / 128)


def test_curve_and_log_shapes():
    step = 250
    curve = samples(expression(500, 1500, ms=2000, shape=2))
    log = samples(expression(500, 1500, ms=2000, shape=18))
    for k in (10, 45, 90, 127):
        expected = 500 + math.sin(math.radians(k)) * 1000  # the step is an angle in degrees
        assert near(synth.measure_frequency(curve[k * step:(k + 1) * step]), expected), k
    for k in (1, 10, 89, 127):  # reaches the end frequency at step 89, then goes past it
        expected = 500 + math.log10(k) * 1000 / 1.95
        assert near(synth.measure_frequency(log[k * step:(k + 1) * step]), expected), k


def test_volume_ramps_in_36_steps_and_scales_the_wave():
    fading = samples(expression(1000, 1000, ms=1800, vs=1023, ve=0))
    step = len(fading) // 36
    widths = [amplitude(fading[k * step:(k + 1) * step]) for k in range(36)]
    assert widths[0] > 60000 and widths == sorted(widths, reverse=True)
    assert all(near(widths[k], widths[0] * (36 - k) / 36, 0.05) for k in range(0, 34, 6))
    rising = samples(expression(1000, 1000, ms=1800, vs=0, ve=1023))
    assert amplitude(rising[:step]) == 0 and amplitude(rising[-step:]) > 55000
    half = samples(expression(1000, 1000, vs=512, ve=512))
    assert near(amplitude(half), amplitude(samples(expression(1000, 1000))) / 2, 0.03)


def test_every_waveform_sounds_and_differs():
    waves = [samples(expression(440, 440, ms=200, wave=w)) for w in range(5)]
    for w, wave in enumerate(waves):
        assert amplitude(wave) > 30000, w
        if w < 4:  # sine, sawtooth, triangle, square: periodic at the frequency
            assert near(synth.measure_frequency(wave), 440, 0.03), w
    assert len({bytes(wave) for wave in waves}) == 5
    assert samples(expression(wave=7)) == array("h", bytes(2 * 8000))  # no such waveform


def test_fx_vibrato_tremolo_warble():
    plain = samples(expression(1000, 1000, ms=1000, shape=0))
    vibrato = samples(expression(1000, 1000, ms=1000, shape=0, fx=1, fx_param=2, fx_steps=100))
    step = len(vibrato) // 10  # 10 fx steps: the frequency doubles, halves, doubles…
    assert near(synth.measure_frequency(vibrato[:step]), 1000)
    assert near(synth.measure_frequency(vibrato[step:2 * step]), 2000, 0.03)
    assert near(synth.measure_frequency(vibrato[2 * step:3 * step]), 1000, 0.03)
    # the shape's own steps set the frequency again: vibrato lasts until the next one
    shaped = samples(expression(1000, 1000, ms=1000, fx=1, fx_param=2, fx_steps=100))
    assert near(synth.measure_frequency(shaped[step + 25:2 * step]), 1000, 0.03)
    tremolo = samples(expression(1000, 1000, ms=1000, vs=400, ve=400, fx=2, fx_param=2,
                                 fx_steps=100))
    # doubled from the fx step (sample 1600) to the volume ramp's next step (1777)
    assert near(amplitude(tremolo[step:step + 170]), 2 * amplitude(tremolo[:step]), 0.05)
    warble = samples(expression(1000, 1000, ms=1000, shape=0, fx=3, fx_param=500,
                                fx_steps=100))
    assert warble != plain and vibrato != plain
    assert samples(expression(fx=1, fx_param=1)) == samples(expression())  # × 1: nothing


def test_random_variation_is_seeded_and_bounded():
    varied = expression(ms=300, random_ms=100)
    lengths = {len(samples(varied, seed)) for seed in range(20)}
    assert len(lengths) > 5 and all(200 * 16 <= n <= 400 * 16 for n in lengths)
    assert samples(varied, 7) == samples(varied, 7)


# §13: the segments of each built-in sound
SEGMENTS = {"giggle": 5, "happy": 3, "hello": 3, "mysterious": 2, "sad": 2, "slide": 2,
            "soaring": 2, "spring": 2, "twinkle": 1, "yawn": 5}


@pytest.mark.parametrize("name", sorted(SEGMENTS))
def test_builtin_sound_lasts_the_sum_of_its_segments(name):
    parsed = effects.parse(name, random.Random(3).randrange)
    assert parsed is not None and len(parsed) == SEGMENTS[name]
    raw = effects.BUILTIN_SOUNDS[name].split(",")
    lo = sum(max(0, int(seg[9:13]) - int(seg[60:64])) for seg in raw)
    hi = sum(int(seg[9:13]) + int(seg[60:64]) for seg in raw)
    total = sum(effect.duration_ms for effect in parsed)
    assert lo <= total <= hi
    pcm = effects.render(parsed)
    assert len(pcm) == total * RATE // 1000 and effects.duration_ms(parsed) == total
    assert max(pcm) - min(pcm) > 20  # it makes a sound


def test_expressions_codal_rejects():
    rand = random.Random(1).randrange
    assert effects.parse("", rand) is None
    assert effects.parse(expression()[:71], rand) is None
    assert effects.parse(expression() + ";" + expression(), rand) is None
    assert effects.parse("x" + expression()[1:], rand) is not None  # the waveform isn't checked
    assert effects.parse(expression()[:5] + "x" + expression()[6:], rand) is None
    assert len(effects.parse(expression() + "," + expression(), rand) or ()) == 2


def test_frames_join_on_the_stream_samples():
    for rate, interpolate in ((RATE_V1, False), (RATE_V2, True)):
        placer = FramePlacer(1_234_567, rate, interpolate)
        first = placer.start_index(0)
        total = 0
        for k in range(1000):
            at_us, pcm = placer.place(bytes([k % 256]) * 32)
            assert round(at_us * RATE / 1e6) == first + total  # where the mixer puts it
            total += len(pcm)
        assert total == -(-1000 * 32 * RATE * rate[1] // rate[0])  # V1: 4.096 s exactly
    v2 = FramePlacer(0, RATE_V2, True)
    _, pcm = v2.place(bytes([128] * 16 + [0] * 16))
    assert pcm[0] == 128 and pcm[32] == 128 and pcm[33] == 96 and pcm[-1] == 0  # smoothed


# -- the module: Sound, SoundEffect, AudioFrame ------------------------------------------------
def test_sound_objects():
    result = run("""
        print(Sound.GIGGLE, repr(Sound.YAWN), type(Sound.HAPPY))
        print([n for n in dir(Sound) if n.isupper()])
        try:
            Sound()
        except TypeError as e:
            print(e)
        import microbit
        print(microbit.audio is audio, audio.SoundEffect)
    """)
    assert result.text == (
        "Sound('giggle') Sound('yawn') <class 'MicroBitSound'>\n"
        "['GIGGLE', 'HAPPY', 'HELLO', 'MYSTERIOUS', 'SAD', 'SLIDE', 'SOARING', 'SPRING', "
        "'TWINKLE', 'YAWN']\ncannot create 'MicroBitSound' instances\n"
        "True <class 'MicroBitSoundEffect'>\n")


def test_sound_effect_attributes_errors_repr_str():
    result = run("""
        SE = audio.SoundEffect
        e = SE()
        print(repr(e))
        print(e)
        print(SE(100, 200, 30, 40, 50, SE.WAVEFORM_NOISE, SE.FX_WARBLE, SE.SHAPE_CURVE))
        print(SE(shape=7, fx=SE.FX_VIBRATO, waveform=SE.WAVEFORM_SINE))
        print(all(SE(vol_start=v).vol_start == v for v in range(256)))
        for name, bad in (('freq_start', 10000), ('duration', -1), ('vol_end', 256),
                          ('waveform', 10), ('fx', 100), ('shape', 123)):
            try:
                setattr(e, name, bad)
            except ValueError as err:
                print(name, err, getattr(e, name))
        for bad in ("SE(1.5)", "SE(foo=1)", "e.colour", "setattr(e, 'colour', 1)"):
            try:
                eval(bad)
            except Exception as err:
                print(type(err).__name__, err)
        c = e.copy()
        c.freq_end = 7
        print(e.freq_end, c.freq_end, SE.SHAPE_LOG, e.FX_TREMOLO, SE.WAVEFORM_SAWTOOTH)
        print(repr(SE._from_string('0' * 72)), SE._from_string('1' * 80).waveform)
    """)
    assert result.text == (
        "SoundEffect(500, 2500, 500, 255, 0, 3, 0, 18)\n"
        "SoundEffect(freq_start=500, freq_end=2500, duration=500, vol_start=255, vol_end=0, "
        "waveform=WAVEFORM_SQUARE, fx=FX_NONE, shape=SHAPE_LOG)\n"
        "SoundEffect(freq_start=100, freq_end=200, duration=30, vol_start=40, vol_end=50, "
        "waveform=WAVEFORM_NOISE, fx=FX_WARBLE, shape=SHAPE_CURVE)\n"
        "SoundEffect(freq_start=500, freq_end=2500, duration=500, vol_start=255, vol_end=0, "
        "waveform=WAVEFORM_SINE, fx=FX_VIBRATO, shape=7)\n"
        "True\n"
        "freq_start maximum value is 9999 0\n"  # the low digits were written first
        "duration maximum value is 9999 7295\n"  # -1 is 4294967295 unsigned
        "vol_end maximum value is 255 0\n"
        "waveform maximum value is 9 0\n"
        "fx maximum value is 99 0\n"
        "shape maximum value is 99 23\n"
        "TypeError can't convert float to int\nTypeError extra keyword arguments given\n"
        "AttributeError 'MicroBitSoundEffect' object has no attribute 'colour'\n"
        "AttributeError 'MicroBitSoundEffect' object has no attribute 'colour'\n"
        "2500 7 18 2 1\n"
        "SoundEffect(0, 0, 0, 0, 0, 0, 0, 0) 1\n")


def test_audio_frame_indexing_operators_and_buffer():
    result = run("""
        f = audio.AudioFrame()
        print(len(f), f[0], f[31], f, type(f), bytes(f) == b'\\x80' * 32)
        for bad in ("f[32]", "f[-1]", "f.append(1)", "list(f)", "f + 1", "f * 'x'",
                    "audio.AudioFrame(1)"):
            try:
                eval(bad)
            except Exception as err:
                print(type(err).__name__, err)
        for stmt in ("f[0] = 256", "f[0] = -1", "del f[0]"):
            try:
                exec(stmt)
            except Exception as err:
                print(type(err).__name__, err)
        g = audio.AudioFrame()
        for i in range(32):
            f[i], g[i] = i * 8, 255 - i
        s = f + g
        print(s[0], s[31], (f - g)[0], (f - g)[31], f[5])
        print((f * 2)[0], (f * 2)[20], (f * 0.5)[0], (f * -1)[0], (f * 1.5)[31])
        f += g
        f *= 0.5
        print(f[0], f[31])
        g.copyfrom(b'\\x01\\x02\\x03')
        print(g[0], g[2], g[3])
        g.copyfrom(bytes(range(40)))
        print(g[31], f == f, f == s)
    """)
    assert result.text == (
        "32 128 128 <AudioFrame> <class 'AudioFrame'> True\n"
        "ValueError index out of bounds\nValueError index out of bounds\n"
        "AttributeError 'AudioFrame' object has no attribute 'append'\n"
        "TypeError 'AudioFrame' object isn't iterable\n"
        "TypeError unsupported types for __add__: 'AudioFrame', 'int'\n"
        "TypeError can't convert str to float\n"
        "TypeError function takes 0 positional arguments but 1 were given\n"
        "ValueError value out of range\nValueError value out of range\n"
        "TypeError cannot delete elements of AudioFrame\n"
        # f[i] = 8i, g[i] = 255 - i; sum/difference clamp to 0..255 around 128
        "127 255 0 152 40\n"
        "0 192 64 255 255\n"
        "127 191\n"
        "1 3 252\n31 True False\n")


# -- playing: timing, is_playing, stop ---------------------------------------------------------
def test_play_blocks_for_the_sound_and_stop_leaves_sounds_playing_v2():
    result = run("""
        t = running_time()
        audio.play(audio.SoundEffect(duration=300))
        print(running_time() - t, audio.is_playing())
        t = running_time()
        audio.play([audio.SoundEffect(duration=100), audio.SoundEffect(duration=150)])
        audio.play(Sound.HELLO)
        print(running_time() - t)
        audio.play(Sound.TWINKLE, wait=False)
        audio.stop()  # v2.1.2: stop() stops frames only
        sleep(6000)
        print(audio.is_playing())
        sleep(800)
        print(audio.is_playing(), pin0.get_mode())
        audio.play(audio.SoundEffect(duration=400), wait=False)
        sleep(100)
        audio.play(audio.SoundEffect(duration=50))  # replaces the one playing
        print(audio.is_playing())
        audio.play(audio.SoundEffect._from_string('not an expression'), wait=False)
        sleep(1000)
        print(audio.is_playing())  # CODAL never finishes what it could not parse
    """)
    assert result.text == "300 False\n756\nTrue\nFalse audio\nFalse\nTrue\n"  # 250 + 506


def test_frames_stream_on_the_board_clock():
    source = """
        f = audio.AudioFrame()
        def frames(n):
            for i in range(n):
                f[0] = i          # one frame reused: each is copied when fetched
                yield f
        t = running_time()
        audio.play(frames(100))
        print(running_time() - t, audio.is_playing())
        audio.play(frames(1000), wait=False)
        sleep(100)
        print(audio.is_playing())
        audio.stop()
        print(audio.is_playing())
        def bad():
            yield f
            yield f
            yield f
            yield 'x'
        audio.play(bad(), wait=False)
        try:
            sleep(100)
        except TypeError as e:
            print('later:', e, audio.is_playing())
        try:
            audio.play(5)
        except TypeError as e:
            print(e)
    """
    v2 = run(source, board="v2")
    # V2 (7812 Hz) stops when the source runs out, as the last frame starts: 99 frames;
    # V1 (7812.5 Hz) when that frame ends: 100 frames of 4.096 ms
    assert v2.text == ("405 False\nTrue\nFalse\nlater: not an AudioFrame False\n"
                       "'int' object isn't iterable\n")
    v1 = run(source, board="v1")
    # V1 finds the error while a frame plays, and stops when that frame ends; 409.6 ms of
    # frames plus the generator's own work (about 40 µs a frame on the V1: cost model)
    assert v1.text == ("410 False\nTrue\nFalse\nlater: not an AudioFrame True\n"
                       "'int' object is not iterable\n")
    clips = [value for value in v2.audio if "clip" in value]
    assert len(clips) >= 100 and len({c["pcm"] for c in clips[:100]}) == 100


def test_each_frame_is_copied_when_fetched_one_ahead():
    clips: list[bytes] = []
    dev = Board(V2, Clock(virtual=True), None, {},  # type: ignore[arg-type]
                 lambda part, value: clips.append(binascii.a2b_base64(value["pcm"]))
                 if part == "audio" and "clip" in value else None)
    names = audio_module.create(dev)
    frame = names["AudioFrame"]()
    frame.copyfrom(b"\xff" * 32)
    names["play"]([frame] * 6, wait=False)  # frames 0 and 1 are fetched now
    frame.copyfrom(b"\x00" * 32)  # the program changes the frame afterwards
    dev.clock.sleep_ms(100)
    assert [pcm[-1] for pcm in clips] == [255, 255, 0, 0, 0, 0]


def test_pins_and_return_pin_v2_v1():
    v2 = run("""
        for kw in ({'pin': pin_speaker}, {'return_pin': pin1}, {'pin': 'x'}, {'pin': pin3}):
            try:
                audio.play(Sound.HAPPY, **kw)
            except Exception as e:
                print(type(e).__name__, e)
        audio.play(audio.SoundEffect(duration=10), pin=pin1)
        print(pin1.get_mode(), pin0.get_mode())
        audio.play(audio.SoundEffect(duration=10), pin=None)
        print(pin1.get_mode())
    """)
    assert v2.text == ("ValueError pin_speaker not allowed\nValueError return_pin not supported\n"
                       "TypeError expecting a pin\nValueError Pin 3 in display mode\n"
                       "audio unused\nunused\n")
    v1 = run("""
        f = audio.AudioFrame()
        try:
            audio.play([f], return_pin=pin1)
        except TypeError as e:
            print(e)
        audio.play([f] * 100, pin=pin1, return_pin=pin2, wait=False)
        print(pin1.get_mode(), pin2.get_mode())
        audio.play([f])
        print(pin0.get_mode(), pin1.get_mode(), hasattr(audio, 'SoundEffect'))
        print('Sound' in globals())
    """, board="v1")
    assert v1.text == ("cannot set return_pin without pin\naudio audio\nunused unused False\n"
                       "False\n")


def test_pin_is_held_while_a_sound_plays_v2():
    result = run("""
        audio.play(Sound.HELLO, wait=False)
        try:
            pin0.write_digital(1)
        except ValueError as e:
            print(e)
        sleep(600)
        pin0.write_digital(1)
        print(pin0.get_mode())
    """)
    assert result.text == "Pin 0 in audio mode\nwrite_digital\n"


# -- volume and speaker ------------------------------------------------------------------------
def board(spec: BoardSpec = V2) -> tuple[Board, dict[str, Any], dict[str, Any], list]:
    """An in-process device in virtual time, its ``audio`` and ``microbit`` sound names."""
    dev = Board(spec, Clock(virtual=True), None, {}, lambda part, value: None,  # type: ignore
                 seed=1)
    chunks: list[array] = []
    audio_out.of(dev).attach(lambda t, s: chunks.append(s))
    ns: dict[str, Any] = {}
    sensors.contribute(dev, ns)
    return dev, audio_module.create(dev), ns, chunks


def heard(dev: Board, chunks: list[array]) -> array:
    audio_out.of(dev).flush()
    out = array("h")
    for chunk in chunks:
        out.extend(chunk)
    chunks.clear()
    return out


def test_set_volume_scales_and_speaker_off_silences_the_speaker_only():
    dev, names, ns, chunks = board()
    effect = names["SoundEffect"](1000, 1000, 200, 255, 255)
    names["play"](effect)
    full = amplitude(heard(dev, chunks))
    ns["set_volume"](64)
    names["play"](effect)
    assert near(amplitude(heard(dev, chunks)), full * 64 / 255, 0.03)
    ns["set_volume"](255)
    ns["speaker"].off()
    names["play"](effect, pin=None)
    assert amplitude(heard(dev, chunks)) == 0  # the speaker alone, and it is off
    names["play"](effect)  # pin 0 still sounds
    assert near(amplitude(heard(dev, chunks)), full, 0.01)
    frame = names["AudioFrame"]()
    frame[0] = 255
    names["play"]([frame] * 20, pin=None)
    assert amplitude(heard(dev, chunks)) == 0
    from ubit.sim.micropython.modules import music

    tune = music.create(dev)
    tune["pitch"](440, 100, pin=None)
    assert amplitude(heard(dev, chunks)) == 0  # music follows the same rule
    ns["speaker"].on()
    tune["pitch"](440, 100, pin=None)
    assert amplitude(heard(dev, chunks)) > 30000


def test_ctrl_c_while_waiting_cuts_the_sound():
    dev, names, _, _ = board()
    clock = dev.clock
    real_sleep = clock.sleep_us

    def interrupted(duration_us: float) -> None:
        real_sleep(min(duration_us, 100_000))
        if clock.now_us() >= 200_000:
            raise KeyboardInterrupt

    clock.sleep_us = interrupted  # type: ignore[method-assign]
    with pytest.raises(KeyboardInterrupt):
        names["play"](names["SoundEffect"](duration=2000))
    assert not names["is_playing"]() and 200_000 <= clock.now_us() < 400_000
    assert audio_out.of(dev).clips.get("sound", 0) <= clock.now_us()  # cut


def test_a_sound_left_playing_plays_to_its_end_when_the_program_ends():
    dev, names, _, chunks = board()
    names["play"](names["SoundEffect"](duration=700), wait=False)
    assert names["is_playing"]() and dev.clock.now_us() < 1000
    audio_module.finish(dev)
    assert not names["is_playing"]() and 700_000 <= dev.clock.now_us() < 701_000
    assert len(heard(dev, chunks)) >= 700 * RATE // 1000


def test_recorded_sound_lasts_its_duration():
    result = run("audio.play(Sound.HELLO)\n")
    recorder = AudioRecorder()
    for message in result.messages:
        recorder.listener(message)
    wave = recorder.finish()
    start = next(i for i, v in enumerate(wave) if v)
    assert abs((len(wave) - start) - 506 * RATE // 1000) < RATE // 100  # 197 + 16 + 293 ms
    assert amplitude(wave) > 40000


# -- live playback -----------------------------------------------------------------------------
class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_live_player_renders_behind_the_board_in_time_order():
    clock, written = FakeClock(), []
    live = player.LivePlayer(written.append, latency_ms=60, clock=clock)
    live.listener({"kind": "state", "part": "display", "value": [[0] * 5] * 5,
                   "t": 1000})  # board time 1000 ms at wall 100.0 s
    clock.now = 100.2
    live.listener({"kind": "audio", "event": {"t": 1200.0, "freq": 1000.0}, "t": 1200})
    clock.now = 100.23
    live.listener({"kind": "audio", "event": {"t": 1230.0, "freq": None}, "t": 1230})
    clock.now = 100.25
    assert live.pump() > 0  # silence queued ahead, then up to 1190 ms
    clock.now = 100.3
    # a clip that arrives after a later event still sounds in its place
    live.listener({"kind": "audio", "event": {"t": 1300.0, "freq": 500.0}, "t": 1300})
    pcm = bytes([255, 0] * 400)
    live.listener({"kind": "audio", "event": {"t": 1260.0, "clip": "audio", "rate": RATE,
                            "pcm": binascii.b2a_base64(pcm).decode()}, "t": 1260})
    clock.now = 100.4
    live.pump()
    out = array("h")
    for block in written:
        out.frombytes(block)
    if sys.byteorder == "big":  # pragma: no cover
        out.byteswap()
    prefill = round(player.PREFILL_MS * RATE / 1000)

    def at(board_ms: int) -> int:  # where a board time is in the output
        return prefill + (board_ms - 1190) * RATE // 1000

    assert abs(len(out) - at(1400 - 60)) <= 1  # rendered up to board time now - latency
    assert not any(out[:at(1200)]) and near(synth.measure_frequency(out[at(1200):at(1230)]),
                                              1000)
    assert not any(out[at(1230):at(1260)])
    assert out[at(1260)] > 20000 and out[at(1260) + 1] < -20000  # the late clip, in place
    assert near(synth.measure_frequency(out[at(1310):at(1340)]), 500)
    live.close()


def test_open_player_says_why_there_is_no_sound(monkeypatch):
    monkeypatch.setitem(sys.modules, "sounddevice", None)  # not installed
    monkeypatch.setenv("PATH", "")
    found, note = player.open_player()
    assert found is None
    assert note == ("ubit: no audio device: sound is not played "
                    "(pip install 'ubit[audio]', or use --audio FILE.wav)")


def test_audio_made_on_first_use_costs_the_program_no_frames():
    # microbit.audio's names are made when first used: deep in the V1's five frames too
    program = ("from microbit import *\ndef a():\n    return b()\ndef b():\n    return c()\n"
               "def c():\n    return audio.is_playing()\nprint(a())\nprint(len(dir(audio)) > 3)\n")
    assert run_program(program, board="v1").text == "False\nTrue\n"
