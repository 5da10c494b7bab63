"""``music`` (§19) and the board's audio output: notes, tempo, tunes, timing, samples, WAV.

Expected values are the fact sheet's: §19.1 note format and pitch table, §19.2 timing,
§19.3 functions, §19.4 the built-in tunes; V1's 513 ms for ``BA_DING`` is from
``firmware-v1-observed.md`` (the real firmware under QEMU).
"""

from __future__ import annotations

import re
import textwrap
from array import array
from typing import Any

import pytest

from tests.sim.runner import Result, run_program
from ubit.sim.board.board import Board
from ubit.sim.board.clock import Clock
from ubit.sim.board.parts import audio as audio_out
from ubit.sim.board.parts import pins as pins_part
from ubit.sim.host.recorder import AudioRecorder
from ubit.sim.micropython.modules import music as music_module
from ubit.sim.micropython.modules import musicdata
from ubit.sim.micropython.modules.music import parse_note
from ubit.sim.shared.boards import V1, V2, BoardSpec
from ubit.sim.shared.sound import synth
from ubit.sim.shared.sound.wav import read_wav

# §19.1: the pitch table's frequencies (Hz) in octave 4
TABLE_HZ = {"c": 261.6, "c#": 277.2, "d": 293.7, "d#": 311.1, "e": 329.6, "f": 349.3,
            "f#": 370.0, "g": 392.0, "g#": 415.3, "a": 439.9, "a#": 466.2, "b": 493.8}


def run(source: str, **kwargs: Any) -> Result:
    """Run a dedented program (``import music`` and ``from microbit import *`` first)."""
    return run_program("import music\nfrom microbit import *\n" + textwrap.dedent(source),
                       **kwargs)


def board(spec: BoardSpec = V2) -> tuple[Board, dict[str, Any], list[tuple[float, array]]]:
    """An in-process device in virtual time, its ``music`` names, and rendered audio chunks."""
    dev = Board(spec, Clock(virtual=True), None, {},  # type: ignore[arg-type]
                 lambda part, value: None)
    chunks: list[tuple[float, array]] = []
    audio_out.of(dev).attach(lambda t, samples: chunks.append((t, samples)))
    return dev, music_module.create(dev), chunks


def joined(chunks: list[tuple[float, array]]) -> array:
    """The rendered chunks as one run of samples (they are consecutive)."""
    out = array("h")
    for _, samples in chunks:
        out.extend(samples)
    return out


def near(freq: float | None, hz: float) -> bool:
    """Within 1 %."""
    return freq is not None and abs(freq - hz) <= hz / 100


# -- note strings (§19.1) ----------------------------------------------------------------------
def test_note_letters_sharps_flats_octaves():
    for name, hz in TABLE_HZ.items():
        assert near(parse_note(name + "4", 4, 4)[0], hz), name
        assert near(parse_note(name.upper() + "4", 4, 4)[0], hz), name  # any case
    assert parse_note("eb", 4, 4)[0] == parse_note("d#", 4, 4)[0]  # flat: previous letter sharp
    assert parse_note("ab", 4, 4)[0] == parse_note("g#", 4, 4)[0]
    assert parse_note("cb", 4, 4)[0] is None and parse_note("fb", 4, 4)[0] is None  # no b#, e#
    assert near(parse_note("a5", 4, 4)[0], 2 * 439.9)  # period >> 1
    assert near(parse_note("a3", 4, 4)[0], 439.9 / 2)  # period << 1
    assert near(parse_note("c8", 4, 4)[0], 1e6 / (3822 >> 4))


def test_octave_and_duration_carry_over_and_rests():
    octave, duration, heard = 4, 4, []
    for note in ["c1:4", "e:2", "g", "c2:4", "r", "r3:7", "b"]:  # §19.1's example, then rests
        freq, octave, duration = parse_note(note, octave, duration)
        heard.append((freq and round(freq, 1), octave, duration))
    assert heard == [(32.7, 1, 4), (41.2, 1, 2), (49.0, 1, 2), (65.4, 2, 4), (None, 2, 4),
                     (None, 3, 7), (246.9, 3, 7)]
    assert parse_note("d:12", 4, 4)[2] == 12 and parse_note("d:123", 4, 4)[2] == 12  # 2 digits
    assert parse_note("x5:3", 4, 4) == (None, 5, 3)  # no validation: another letter rests
    assert parse_note("", 6, 2) == (None, 6, 2)


# -- tempo (§19.2, §19.3) ----------------------------------------------------------------------
def test_tempo_get_set_reset_and_errors():
    result = run("""
        print(music.get_tempo())
        music.set_tempo()
        print(music.get_tempo())
        music.set_tempo(bpm=60)
        music.set_tempo(ticks=8)
        print(music.get_tempo())
        start = running_time()
        music.play('c:2')
        print(running_time() - start)
        music.reset()
        print(music.get_tempo())
        try:
            music.set_tempo(4)
        except TypeError as e:
            print('TypeError')
    """)
    # 60 bpm, 8 ticks: (60000 // 60) // 8 = 125 ms per tick, so 'c:2' lasts 250 ms
    assert result.text == "(120, 4)\n(120, 4)\n(60, 8)\n250\n(120, 4)\nTypeError\n"


# -- the built-in tunes (§19.4) ----------------------------------------------------------------
def ticks_of(notes: tuple[str, ...]) -> int:
    """A tune's length in ticks, read independently: ':N' sets a duration that carries on."""
    duration, total = 4, 0
    for note in notes:
        found = re.search(r":(\d+)", note)
        duration = int(found.group(1)) if found else duration
        total += duration
    return total


def test_every_tune_note_for_note_count_and_length():
    assert len(musicdata.NAMES) == 21
    _, names, _ = board()
    known = {"BA_DING": 4, "JUMP_UP": 5, "POWER_UP": 9, "DADADADUM": 32, "PUNCHLINE": 21}
    for tune in musicdata.NAMES:
        notes = names[tune]
        assert isinstance(notes, tuple) and len(notes) == musicdata.COUNTS[tune], tune
        octave, duration, total = 4, 4, 0
        for note in notes:
            _, octave, duration = parse_note(note, octave, duration)
            total += duration
        assert total == ticks_of(notes), tune
        if tune in known:
            assert total == known[tune], tune
    assert names["BA_DING"] == ("b5:1", "e6:3")


def test_every_tune_takes_its_ticks_in_virtual_time():
    dev, names, _ = board()
    for tune in musicdata.NAMES:
        start = dev.clock.now_us()
        names["play"](names[tune])
        assert dev.clock.now_us() - start == ticks_of(names[tune]) * 125_000, tune


# -- timing (§19.2) ----------------------------------------------------------------------------
def test_ba_ding_timing_v2_and_v1():
    source = "start = running_time()\nmusic.play(music.BA_DING)\nprint(running_time() - start)"
    assert run(source, board="v2").text == "500\n"  # 4 ticks of 125 ms
    # V1 moves music on at 6 ms ticks: 120 + 12 + 366 + 12 = 510 ms, plus up to one tick
    # before the first note; the real firmware under QEMU took 513 ms
    assert 510 <= int(run(source, board="v1").text) <= 516


def test_notes_sound_then_articulate():
    result = run("music.play(['a4:4', 'r:1', 'c5:1'])")
    changes = [(value["t"], value["freq"] and round(value["freq"], 1))
               for value in result.audio]
    t0 = changes[0][0]
    assert [(round(t - t0, 3), f) for t, f in changes] == [
        (0, 439.9), (490, None), (625, 523.3), (740, None)]  # rest: silent for its 125 ms


@pytest.mark.parametrize("board_name", ["v1", "v2"])
def test_wait_false_plays_in_the_background_and_stop(board_name):
    result = run("""
        music.play(music.JUMP_UP, wait=False)
        print(running_time() < 50, pin0.get_mode())
        sleep(300)
        music.stop()
        sleep(1000)
        print(running_time())
    """, board=board_name)
    assert result.text.splitlines()[0] == "True music"
    notes = [value for value in result.audio if value["freq"]]
    assert len(notes) == 3  # c5, d5 and e5 began within 300 ms; stop() ended the tune
    sounds = result.audio
    assert sounds[-1]["freq"] is None


def test_loop_repeats_until_stopped():
    result = run("""
        music.play(['c:1', 'd:1'], wait=False, loop=True)
        sleep(1000)
        music.stop()
    """)
    notes = [value for value in result.audio if value["freq"]]
    assert len(notes) == 9  # one every 125 ms: at 0, 125, … and 1000 ms (just before stop)


def test_bad_note_item_is_reported_not_raised():
    result = run("""
        start = running_time()
        music.play(['c', 5, 'd'])
        print(running_time() - start)
    """)
    # 500 ms of notes, and 3 ms to send the 36 bytes of the message at 115200 baud
    assert result.text == "TypeError: expecting a str for note\n503\n"
    assert result.status == "ok"


def test_play_argument_errors():
    result = run("""
        for bad in (5, None):
            try:
                music.play(bad)
            except TypeError as e:
                print(e)
        try:
            music.play('c', pin=5)
        except TypeError as e:
            print(e)
        try:
            music.stop(pin=pin0)
        except TypeError as e:
            print(e)
    """)
    assert result.text == ("object 'int' isn't a tuple or list\n"
                           "object 'NoneType' isn't a tuple or list\nexpecting a pin\n"
                           "function doesn't take keyword arguments\n")


def test_pin_is_in_music_mode_while_playing_and_free_after():
    source = """
        music.play('c:1')
        print(pin0.get_mode())
        try:
            pin0.write_digital(1)
            print(pin0.get_mode())
        except ValueError as e:
            print(e)
    """
    assert run(source, board="v2").text == "music\nwrite_digital\n"  # V2 keeps the mode
    # V1 frees the pin when the tune ends (the firmware under QEMU, fidelity program 111)
    assert run(source, board="v1").text == "unused\nwrite_digital\n"
    # V2: while sound plays the pin can't be taken (§8.3)
    assert run("""
        music.play('c', wait=False)
        try:
            pin0.write_digital(1)
        except ValueError as e:
            print(e)
    """).text == "Pin 0 in music mode\n"


# -- pitch (§19.3) -----------------------------------------------------------------------------
def test_pitch_blocking_background_and_errors():
    result = run("""
        start = running_time()
        music.pitch(440, 200)
        print(running_time() - start)
        music.pitch(1000, 200, wait=False)
        print(running_time() - start < 250)
        music.pitch(300)
        print(running_time() - start < 300)
        sleep(500)
        music.stop()
        try:
            music.pitch(5000)
        except ValueError as e:
            print(e)
    """, board="v1")
    assert result.text == "200\nTrue\nTrue\ninvalid pitch\n"  # V1: 1e6 // 5000 < 256 µs
    freqs = [value["freq"] and round(value["freq"]) for value in result.audio]
    assert freqs == [440, None, 1000, 300, None]  # the new pitch cut the 1000 Hz one short


# -- samples and WAV files ---------------------------------------------------------------------
def test_synth_square_wave_and_silence():
    wave = synth.square_wave(440, 250)
    assert len(wave) == synth.SAMPLE_RATE // 4 and wave == synth.square_wave(440, 250)
    assert near(synth.measure_frequency(wave), 440)
    assert abs(sum(wave)) < len(wave) * 10  # centred on zero
    assert not any(synth.silence(100)) and len(synth.silence(100)) == 1600
    assert near(synth.measure_frequency(synth.square_wave(4186, 100)), 4186)  # c8


@pytest.mark.parametrize("spec", [V1, V2])
def test_played_frequencies_measured_from_the_samples(spec):
    dev, names, chunks = board(spec)
    names["play"]([name + "4:4" for name in TABLE_HZ] + ["c5", "c6", "c2"])
    samples = joined(chunks)
    start = round(chunks[0][0] * synth.SAMPLE_RATE / 1000)
    first = next(i for i, sample in enumerate(samples) if sample) + start
    # 500 ms a note (490 sounding, 10 silent); V1's 6 ms ticks make that 504 (492 + 12)
    step, sounding = (8064, 7872) if spec is V1 else (8000, 7840)
    expected = [*TABLE_HZ.values(), 523.3, 1046.5, 65.4]
    for i, hz in enumerate(expected):
        at = i * step + first - start
        assert near(synth.measure_frequency(samples[at + 10:at + sounding - 10]), hz), (i, hz)
        assert not any(samples[at + sounding:at + step])  # the articulation is silent
    # the tune has ended: V1 frees the pin (fidelity program 111), V2 keeps its mode
    assert pins_part.of(dev).mode_of("pin0") == ("unused" if spec is V1 else "music")


def test_recorder_writes_a_valid_wav_of_the_run(tmp_path):
    recorder = AudioRecorder()
    result = run("""
        sleep(100)
        music.play(music.BA_DING)
        music.pitch(880, 250)
    """)
    for message in result.messages:
        recorder.listener(message)
    path = tmp_path / "out.wav"
    path.write_bytes(recorder.wav(result.end_ms))
    rate, samples = read_wav(path)
    assert rate == synth.SAMPLE_RATE
    assert abs(len(samples) - result.end_ms * rate / 1000) <= rate / 1000  # whole run
    assert result.end_ms >= 850
    start = round(recorder.events[0][0] * rate / 1000)
    assert near(synth.measure_frequency(samples[start:start + 1800]), 1e6 / (2025 >> 1))  # b5
    assert near(synth.measure_frequency(samples[start + 2000:start + 7800]), 1e6 / (3034 >> 2))
    assert near(synth.measure_frequency(samples[start + 8000:start + 11900]), 880)
    assert not any(samples[:start])  # silence before the first note


def test_cli_records_the_tune_as_wav(tmp_path):
    from tests.ubitcli import run_ubit
    from ubit.sim.shared.sound.wav import read_wav

    program = tmp_path / "tune.py"
    program.write_text("import music\nmusic.play(['c4:4', 'e4:4'])\n")  # 2 x 500 ms
    out = tmp_path / "tune.wav"
    proc = run_ubit("run", program, "--headless", "--audio", out)
    assert proc.returncode == 0, proc.stderr
    rate, samples = read_wav(out)
    assert abs(len(samples) / rate - 1.0) < 0.02  # two 500 ms notes
    from ubit.sim.shared.sound.synth import measure_frequency

    first = samples[: rate * 4 // 10]  # inside the first note's sound
    assert abs(measure_frequency(first) - 261.63) / 261.63 < 0.01  # middle C
