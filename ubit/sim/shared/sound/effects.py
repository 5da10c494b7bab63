"""Sound expressions rendered into samples, as the V2's CODAL synthesiser plays them.

A sound expression (reference §14.2) is one or more 72-digit effects separated by
commas; the built-in sounds (§13) are such strings under a name. ``parse`` reads one
(applying its random variations with the given generator, as CODAL does each time a
sound starts) and ``render`` turns the effects into unsigned 8-bit samples, centred on
128, one effect after the other. Pure functions, no board state.

How CODAL plays an effect (``codal-microbit-v2`` ``SoundExpressions.cpp``,
``SoundEmojiSynthesizer.cpp``, ``SoundSynthesizerEffects.cpp``; ``codal-core``
``Synthesizer.cpp`` for the waveforms): a waveform is a table of 1024 positions, read at
a speed set by the frequency. Three *tracks* change the frequency and volume at evenly
spaced steps: the shape (frequency from start to end, ``steps`` steps), the volume ramp
(36 steps) and the fx (vibrato, tremolo or warble). A track's step ``k`` acts at sample
``int(k * samples / steps)``, except its last step, which acts at the very end (so a
track of one step never changes anything you can hear); tracks due at the same sample
act in order. Between steps the sound is a plain periodic wave.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Sequence

from ubit.sim.shared.sound import synth

# 16 kHz: the rate of the board's audio stream (ubit.sim.shared.sound.mixer), so a clip needs no
# resampling and lasts exactly its duration (16 samples a millisecond). CODAL renders at
# 44.1 kHz; only pitches above 8 kHz (which alias there too) sound different.
RATE = synth.SAMPLE_RATE
LENGTH = 72  # digits in one effect (§14.2)
TONE_WIDTH = 1024  # positions in one period of a waveform (CODAL SoundEmojiSynthesizer.h)
VOLUME_STEPS = 36  # steps of the volume ramp (CODAL SoundExpressions.cpp)
MAX_LEVEL = 1023  # CODAL's synthesiser writes 10-bit samples; 512 is silence

Rand = Callable[[int], int]  # rand(n): a random int in 0..n-1 (CODAL's random(n))

# CODAL SoundExpressions.cpp (the same strings as reference §13), by the name
# MicroPython passes for Sound.<NAME>.
BUILTIN_SOUNDS = {
    "giggle": "010230988019008440044008881023001601003300240000000000000000000000000000,"
              "110232570087411440044008880352005901003300010000000000000000010000000000,"
              "310232729021105440288908880091006300000000240700020000000000003000000000,"
              "310232729010205440288908880091006300000000240700020000000000003000000000,"
              "310232729011405440288908880091006300000000240700020000000000003000000000",
    "happy": "010231992066911440044008880262002800001800020500000000000000010000000000,"
             "002322129029508440240408880000000400022400110000000000000000007500000000,"
             "000002129029509440240408880145000400022400110000000000000000007500000000",
    "hello": "310230673019702440118708881023012800000000240000000000000000000000000000,"
             "300001064001602440098108880000012800000100040000000000000000000000000000,"
             "310231064029302440098108881023012800000100040000000000000000000000000000",
    "mysterious": "400002390033100440240408880477000400022400110400000000000000008000000000,"
                  "405512845385000440044008880000012803010500160000000000000000085000500015",
    "sad": "310232226070801440162408881023012800000100240000000000000000000000000000,"
           "310231623093602440093908880000012800000100240000000000000000000000000000",
    "slide": "105202325022302440240408881023012801020000110400000000000000010000000000,"
             "010232520091002440044008881023012801022400110400000000000000010000000000",
    "soaring": "210234009530905440599908881023002202000400020250000000000000020000000000,"
               "402233727273014440044008880000003101024400030000000000000000000000000000",
    "spring": "306590037116312440058708880807003400000000240000000000000000050000000000,"
              "010230037116313440058708881023003100000000240000000000000000050000000000",
    "twinkle": "010180007672209440075608880855012800000000240000000000000000000000000000",
    "yawn": "200002281133202440150008881023012801024100240400030000000000010000000000,"
            "005312520091002440044008880636012801022400110300000000000000010000000000,"
            "008220784019008440044008880681001600005500240000000000000000005000000000,"
            "004790784019008440044008880298001600000000240000000000000000005000000000,"
            "003210784019008440044008880108001600003300080000000000000000005000000000",
}

# Equal-ish tempered steps of CODAL's default (non JUST_SCALE) chromatic scale, and the
# scales the arpeggio shapes walk (SoundSynthesizerEffects.cpp).
_CHROMATIC = (1.0, 1.0417, 1.125, 1.2, 1.25, 1.3333, 1.4063, 1.5, 1.6, 1.6667, 1.8, 1.875)
_SCALES = {
    8: (0, 2, 4, 5, 7, 9, 11),  # major (8 up, 9 down)
    10: (0, 2, 3, 5, 7, 8, 10),  # minor
    12: (0, 3, 6, 9),  # diminished
    14: tuple(range(12)),  # chromatic
    16: (0, 2, 4, 6, 8, 10),  # whole tone
}
SHAPE_LINEAR, SHAPE_CURVE, SHAPE_RISE, SHAPE_FALL, SHAPE_LOG = 1, 2, 5, 6, 18
FX_VIBRATO, FX_TREMOLO, FX_WARBLE = 1, 2, 3


def _waveforms() -> tuple[list[int], ...]:
    """One period of each waveform (sine, sawtooth, triangle, square, noise), 0–1023."""
    half = [int(511.5 * (1 - math.cos(math.pi * p / 512))) for p in range(513)]
    sine = half + half[511:0:-1]  # rises from 0 to 1023 over half a period, then falls
    saw = list(range(TONE_WIDTH))
    triangle = [2 * p if p < 512 else 2 * (1023 - p) for p in range(TONE_WIDTH)]
    square = [1023] * 512 + [0] * 512
    noise = [(p * 7919) & 1023 for p in range(TONE_WIDTH)]  # codal-core's "semi-random" noise
    return sine, saw, triangle, square, noise


_TABLES: list[tuple[list[int], ...]] = []  # made on first use: boards that never play skip it


def wave_table(number: int) -> list[int] | None:
    """One period of waveform ``number`` (0–4); None for the numbers CODAL has none for."""
    if not _TABLES:
        _TABLES.append(_waveforms())
    tables = _TABLES[0]
    return tables[number] if 0 <= number < len(tables) else None


class Effect:
    """One effect of an expression, its random variations applied: what CODAL plays."""

    __slots__ = ("waveform", "frequency", "volume", "duration_ms", "shape", "end_frequency",
                 "end_volume", "steps", "fx", "fx_param", "fx_steps")

    def __init__(self, fields: dict[str, float]) -> None:
        for name in self.__slots__:
            setattr(self, name, fields[name])

    def sample_count(self, rate: int = RATE) -> int:
        """How many samples it lasts at ``rate`` (CODAL's determineSampleCount)."""
        return int(rate * (self.duration_ms / 1000))


def _digits(text: str, offset: int, length: int) -> int:
    """The decimal number in ``text[offset:offset + length]``; -1 if a character is no digit."""
    field = text[offset:offset + length]
    if len(field) != length or not all("0" <= ch <= "9" for ch in field):
        return -1
    return int(field)


def _vary(value: int, amount: int, rand: Rand) -> int:
    """CODAL's applyRandom: ``value`` moved by up to ±``amount``, made positive; -1 if invalid."""
    if value < 0 or amount < 0:
        return -1
    return abs(value + rand(2 * amount + 1) - amount)


def parse_effect(text: str, rand: Rand) -> Effect | None:
    """The effect in the first 72 characters of ``text``; None where CODAL rejects it."""
    waveform = _digits(text, 0, 1)
    volume = _digits(text, 1, 4)
    frequency = _digits(text, 5, 4)
    duration = _digits(text, 9, 4)
    shape = _digits(text, 13, 2)
    end_frequency = _digits(text, 18, 4)
    end_volume = _digits(text, 26, 4)
    steps = _digits(text, 30, 4)
    fx = _digits(text, 34, 2)
    fx_param = _digits(text, 36, 4)
    fx_steps = _digits(text, 40, 4)
    # the random variations, in CODAL's order (each draws a number, even a zero one)
    frequency = _vary(frequency, _digits(text, 44, 4), rand)
    end_frequency = _vary(end_frequency, _digits(text, 48, 4), rand)
    volume = _vary(volume, _digits(text, 52, 4), rand)
    end_volume = _vary(end_volume, _digits(text, 56, 4), rand)
    duration = _vary(duration, _digits(text, 60, 4), rand)
    fx_param = _vary(fx_param, _digits(text, 64, 4), rand)
    fx_steps = _vary(fx_steps, _digits(text, 68, 4), rand)
    if -1 in (frequency, end_frequency, volume, end_volume, duration, fx_param, fx_steps):
        return None
    return Effect({
        "waveform": waveform, "frequency": float(frequency), "duration_ms": float(duration),
        "volume": min(volume, 1023) / 1023, "end_volume": min(end_volume, 1023) / 1023,
        "shape": shape, "end_frequency": float(end_frequency), "steps": steps, "fx": fx,
        "fx_param": float(fx_param),
        # spread over the duration; C's float-to-int conversion truncates
        "fx_steps": int(duration / 10000 * fx_steps) if fx in (1, 2, 3) else 0,
    })


def expand(expression: str) -> str:
    """A built-in sound's name stands for its expression; anything else is itself."""
    return BUILTIN_SOUNDS.get(expression, expression)


def parse(expression: str, rand: Rand) -> list[Effect] | None:
    """The effects of an expression or built-in name; None if CODAL would play nothing.

    The text must be effects of exactly 72 characters joined by commas.
    """
    text = expand(expression)
    count = (len(text) + 1) // (LENGTH + 1)
    if len(text) != count * (LENGTH + 1) - 1:
        return None
    effects = []
    for i in range(count):
        start = i * (LENGTH + 1)
        if start and text[start - 1] != ",":
            return None
        effect = parse_effect(text[start:start + LENGTH], rand)
        if effect is None:
            return None
        effects.append(effect)
    return effects


def duration_ms(effects: Sequence[Effect], rate: int = RATE) -> float:
    """How long the effects play, one after the other, in ms (whole samples)."""
    return sum(effect.sample_count(rate) for effect in effects) * 1000 / rate


# -- the tracks --------------------------------------------------------------------------------
def _shape_frequency(effect: Effect, step: int, steps: int) -> float | None:
    """The frequency the shape track sets at ``step`` (None: this shape sets nothing)."""
    shape, f0, f1 = effect.shape, effect.frequency, effect.end_frequency
    if shape == SHAPE_LINEAR:
        return f0 + (f1 - f0) / steps * step
    if shape == SHAPE_CURVE:  # the step is taken as an angle in degrees
        return math.sin(step * 3.14159 / 180) * (f1 - f0) + f0
    if shape == SHAPE_RISE:
        return f0 + math.sin(0.01745329 * step) * f1
    if shape == SHAPE_FALL:
        return f0 + math.cos(0.01745329 * step) * f1
    if shape == SHAPE_LOG:  # reaches the end frequency at step 89 and goes on past it
        return max(0.0, f0 + math.log10(max(step, 1)) * (f1 - f0) / 1.95)
    if 8 <= shape <= 17:  # arpeggios: even shapes walk up a scale, odd ones down
        scale = _SCALES[shape & ~1]
        note = step if shape % 2 == 0 else steps - step - 1
        octave, degree = divmod(note, len(scale))
        return f0 * 2.0 ** octave * _CHROMATIC[scale[degree]]
    return None  # 0 (none) and the numbers CODAL has no shape for


def _fx(effect: Effect, step: int, state: list[float]) -> None:
    """The fx track at ``step``: vibrato/tremolo multiply and divide in turn; warble swings."""
    fx, param = effect.fx, effect.fx_param
    if fx == FX_WARBLE:
        state[0] = math.sin(step) * (param - effect.frequency) + effect.frequency
    elif fx in (FX_VIBRATO, FX_TREMOLO) and step:
        which = 0 if fx == FX_VIBRATO else 1
        if step % 2:
            state[which] *= param
        else:
            state[which] = state[which] / param if param else 0.0


def _timeline(count: int, tracks: Sequence[int]) -> list[tuple[int, int, int]]:
    """``(sample, track, step)`` for every step of every track, in the order CODAL acts."""
    events = []
    for track, steps in enumerate(tracks):
        per_step = count / steps
        last_at, repeat = -1, 0
        for step in range(steps):
            at = count if step == steps - 1 else int(per_step * step)
            repeat = repeat + 1 if at == last_at else 0  # steps due together act in rounds
            last_at = at
            events.append((at, repeat, track, step))
    events.sort()
    return [(at, track, step) for at, _, track, step in events]


# -- samples -----------------------------------------------------------------------------------
def _wave(table: list[int] | None, position: float, skip: float, count: int,
          volume: float) -> list[int]:
    """``count`` 8-bit samples of ``table`` from ``position``, ``skip`` positions a sample."""
    if table is None or volume <= 0:  # silence (CODAL: no waveform or no volume)
        return [128] * count
    gain = MAX_LEVEL * volume / 1024
    offset = 512 - 512 * gain
    if volume <= 1:  # the common case: always within 0..1023
        return [int(table[int(position + i * skip) & 1023] * gain + offset) >> 2
                for i in range(count)]
    return [min(MAX_LEVEL, max(0, int(table[int(position + i * skip) & 1023] * gain + offset)))
            >> 2 for i in range(count)]


class Renderer:
    """The samples of a row of effects, read in pieces (so a long sound starts at once)."""

    def __init__(self, effects: Sequence[Effect], rate: int = RATE) -> None:
        self.rate = rate
        self.total = sum(effect.sample_count(rate) for effect in effects)  # samples in all
        self.done = 0  # samples read so far
        self._runs = self._all_runs(effects)
        self._run: list = [None, 0.0, 0.0, 0, 0.0]  # table, position, skip, samples left, volume

    def _all_runs(self, effects: Sequence[Effect]) -> Iterator[list]:
        """``[table, position, skip, count, volume]`` for each stretch of steady sound."""
        position = 0.0
        for effect in effects:
            for run in self._effect_runs(effect, position):
                yield run
                position = (run[1] + run[2] * run[3]) % TONE_WIDTH

    def _effect_runs(self, effect: Effect, position: float) -> Iterator[list]:
        count = effect.sample_count(self.rate)
        if count <= 0:
            return
        table = wave_table(effect.waveform)
        steps = (max(effect.steps, 1), VOLUME_STEPS, max(effect.fx_steps, 1))
        state = [effect.frequency, effect.volume]  # what sounds now: frequency, volume
        done = 0
        for at, track, step in _timeline(count, steps):
            if at > done:
                skip = TONE_WIDTH * state[0] / self.rate
                yield [table, position, skip, at - done, state[1]]
                position = (position + (at - done) * skip) % TONE_WIDTH
                done = at
            if done >= count:
                return
            if track == 0:
                frequency = _shape_frequency(effect, step, steps[0])
                if frequency is not None:
                    state[0] = frequency
            elif track == 1:  # the volume ramp, from the start volume to the end one
                start = effect.volume
                state[1] = start + step * (effect.end_volume - start) / VOLUME_STEPS
            else:
                _fx(effect, step, state)

    def read(self, count: int) -> bytearray:
        """The next ``count`` samples (fewer at the end), unsigned 8-bit."""
        out = bytearray()
        run = self._run
        while len(out) < count:
            if run[3] == 0:
                following = next(self._runs, None)
                if following is None:
                    break
                run[:] = following
            take = min(run[3], count - len(out))
            out += bytes(_wave(run[0], run[1], run[2], take, run[4]))
            run[1] = (run[1] + take * run[2]) % TONE_WIDTH
            run[3] -= take
        self.done += len(out)
        return out


def render(effects: Sequence[Effect], rate: int = RATE) -> bytearray:
    """The effects one after the other as unsigned 8-bit samples at ``rate``."""
    renderer = Renderer(effects, rate)
    return renderer.read(renderer.total)
