"""SAM's synthesiser: phoneme groups to frames, frames to 4-bit output bytes on SAM's clock.

Each phoneme becomes ``length`` frames of formant frequencies and amplitudes; the frames
between two phonemes are blended; in speech (not song) the pitch follows formant 1. The
frames are then played as glottal pulses of ``pitch`` samples: three formants (two sine
waves and a square wave, restarted at each pulse) summed through a multiplication table,
``speed`` samples per frame. Fricatives and the noisy parts of plosives are bit patterns
played from a table instead.

The output is a list of bytes (multiples of 16, silence 128) and, for each, which kind of
output it is: the time between two bytes depends on both kinds (``TIMETABLE``), which is
how SAM's original 6502 code ran. ``ubit.sim.shared.sound.sam.pcm`` turns that into samples.
"""

from __future__ import annotations

from itertools import islice
from operator import add

from ubit.sim.shared.sound.sam import render_tables as tab
from ubit.sim.shared.sound.sam.prosody import PERIOD, QUESTION, Phoneme

FRAMES = 256  # RENDER_FRAMES: the frame buffer wraps around
MAX_PHONEMES = 64  # OUTPUT_PHONEMES: later phonemes of a group make no frames of their own
FIRST_FRAME_SAMPLES = 72  # the first frame of each group always has SAM's standard speed
_MASKS = (0xFF, 0x3F, 0x7F, 0x7F, 0x0F, 0x0F, 0x0F)  # pitch, f1..f3, a1..a3 (bit fields)
VOICED, NOISE_0, NOISE_1, BUZZ_1, BUZZ_0 = range(5)  # output kinds (timetable rows)
_MAX_OUTPUT_STEPS = 1 << 22  # a group whose frame count never reaches 0 would loop for ever

# One voiced sample is FINAL[CARRY[m1 + m2] + m3] for the three formants' products.
_CARRY = [s + (s >> 8) for s in range(511)]
_FINAL = bytes(((((t + 136) & 0xFF) >> 4) << 4) for t in range(511 + 256))
_SINE = [[tab.MULTIPLY[tab.SINE[p] | a] for p in range(256)] for a in range(16)]
_SQUARE = [[tab.MULTIPLY[tab.SQUARE[p] | a] for p in range(256)] for a in range(16)]
_VOICED_KINDS = bytes([VOICED]) * 256
_STEPS = [[(k * freq) & 0xFF for k in range(256)] for freq in range(128)]  # phase k samples on


def _voiced_run(waves: tuple[list[int], list[int], list[int]], phases: tuple[int, int, int],
                freqs: tuple[int, int, int], count: int) -> bytes:
    """``count`` voiced samples of the formants' waves from their ``phases`` on."""
    one, two, three = (
        map((wave if not phase else wave[phase:] + wave[:phase]).__getitem__, _STEPS[freq])
        for wave, phase, freq in zip(waves, phases, freqs, strict=True))
    return bytes(map(_FINAL.__getitem__, map(add, map(_CARRY.__getitem__, map(
        add, islice(one, count), two)), three)))


def _formant(pos: int, scale: int, formants: tuple[int, ...], table: tuple[int, ...]) -> int:
    if tab.RECALCULATE[pos]:
        return (scale * formants[pos]) >> 7
    return table[pos]


def _noise_bits(row: int, start: int, count: int, one: tuple[int, int],
                zero: tuple[int, int]) -> tuple[bytes, bytes]:
    """Output bytes and kinds for ``count`` bytes of noise table ``row`` from ``start``."""
    values, kinds = bytearray(), bytearray()
    for k in range(count):
        byte = tab.NOISE[row * 256 + ((start + k) & 0xFF)]
        for bit in range(7, -1, -1):
            kind, value = one if byte >> bit & 1 else zero
            kinds.append(kind)
            values.append(value)
    return bytes(values), bytes(kinds)


_HISS: dict[int, tuple[bytes, bytes]] = {}


def _hiss(sample: int) -> tuple[bytes, bytes]:
    """The noise an unvoiced sampled frame pair plays (always the same for a phoneme)."""
    if sample not in _HISS:
        row = (sample & 7) - 1
        level = (tab.NOISE_LEVEL[row] & 15) << 4
        start = (sample & 0xF8) ^ 0xFF
        _HISS[sample] = _noise_bits(row, start, 256 - start, (NOISE_1, 5 << 4),
                                    (NOISE_0, level))
    return _HISS[sample]


class Renderer:
    """SAM's render memory (kept from one group to the next, as on the board) and output."""

    def __init__(self, speed: int, mouth: int, throat: int, sing: bool,
                 log: list[str] | None = None) -> None:
        self.speed, self.mouth, self.throat = speed & 0xFF, mouth & 0xFF, throat & 0xFF
        self.sing = sing
        # pitch, freq1, freq2, freq3, amp1, amp2, amp3 of every frame, and its noise flags
        self.tables = [[0] * FRAMES for _ in range(7)]
        self.sampled = [0] * FRAMES
        self.values = bytearray()  # output bytes
        self.kinds = bytearray()  # what kind of output each byte is
        self.log = log
        self._buzz_at = 0  # where voiced noise continues in its table (mem66)

    # -- frames --------------------------------------------------------------------------------
    def render(self, group: list[Phoneme]) -> None:
        """Make the frames of one breath group and play them."""
        if not group:
            return
        pitch, f1, f2, f3, a1, a2, a3 = self.tables
        at = 0
        for phoneme in group[:MAX_PHONEMES]:
            index = phoneme.index
            if index == PERIOD:
                self._inflect(at, 1)
            elif index == QUESTION:
                self._inflect(at, 0xFF)
            rise = tab.STRESS_PITCH[phoneme.stress + 1]
            values = (_formant(index, self.mouth, tab.MOUTH_FORMANTS, tab.FREQ1) & 0x3F,
                      _formant(index, self.throat, tab.THROAT_FORMANTS, tab.FREQ2) & 0x7F,
                      tab.FREQ3[index] & 0x7F, tab.AMP1[index] & 15, tab.AMP2[index] & 15,
                      tab.AMP3[index] & 15, tab.SAMPLED[index], (phoneme.pitch + rise) & 0xFF)
            for _ in range(phoneme.length or 256):
                (f1[at], f2[at], f3[at], a1[at], a2[at], a3[at], self.sampled[at],
                 pitch[at]) = values
                at = (at + 1) & 0xFF
        frames = self._blend(group)
        if not self.sing:  # speech: the pitch falls as formant 1 rises
            for i in range(FRAMES):
                pitch[i] = (pitch[i] - (f1[i] >> 1)) & 0xFF
        self._play(frames)

    def _inflect(self, end: int, step: int) -> None:
        """The pitch over the 30 frames before a full stop falls (step 1) or rises (255)."""
        pitch = self.tables[0]
        at = end - 30 if end > 30 else 0
        for _ in range(FRAMES):
            if pitch[at] != 127:
                break
            at = (at + 1) & 0xFF
        value = pitch[at]
        while True:
            value = (value + step) & 0xFF
            pitch[at] = value
            while True:
                at = (at + 1) & 0xFF
                if at == end:
                    return
                if pitch[at] != 255:
                    break

    def _blend(self, group: list[Phoneme]) -> int:
        """Interpolate the frames between phonemes; the group's frame count (8 bits)."""
        position = 0
        for current, following in zip(group, group[1:], strict=False):
            here, there = current.index, following.index
            if tab.BLEND_RANK[here] == tab.BLEND_RANK[there]:
                before, after = tab.OUT_BLEND[here], tab.OUT_BLEND[there]
            elif tab.BLEND_RANK[here] < tab.BLEND_RANK[there]:
                before, after = tab.IN_BLEND[there], tab.OUT_BLEND[there]
            else:
                before, after = tab.OUT_BLEND[here], tab.IN_BLEND[here]
            position = (position + current.length) & 0xFF
            start = (position - before) & 0xFF
            span = (before + after) & 0xFF
            if (span - 2) & 0x80:
                continue  # fewer than 2 frames to blend over
            for which, table in enumerate(self.tables):
                if which == 0:  # pitch: from the middle of one phoneme to the next's
                    half, next_half = current.length >> 1, following.length >> 1
                    count = (half + next_half) & 0xFF
                    delta = table[(position + next_half) & 0xFF] - table[(position - half) & 0xFF]
                else:
                    count = span
                    delta = table[(position + after) & 0xFF] - table[start]
                _interpolate(table, _MASKS[which], start, count, delta)
        return (position + group[-1].length) & 0xFF

    # -- sound ---------------------------------------------------------------------------------
    def _play(self, frame_count: int) -> None:
        pitch, f1, f2, f3, a1, a2, a3 = self.tables
        for amps in (a1, a2, a3):
            amps[:] = [tab.AMPLITUDE_RESCALE[a] for a in amps]
        if self.log is not None:
            self.log.append(self.format_frames(frame_count))
        values, kinds = self.values, self.kinds
        put, mark = values.append, kinds.append
        sampled, speed = self.sampled, self.speed
        y = 0
        pulse = pitch[0]
        countdown = (pulse - (pulse >> 2)) & 0xFF
        left = FIRST_FRAME_SAMPLES
        p1 = p2 = p3 = 0
        s1, s2, q3 = _SINE[a1[0]], _SINE[a2[0]], _SQUARE[a3[0]]
        for _ in range(_MAX_OUTPUT_STEPS):
            sample = sampled[y]
            if sample & 0xF8:  # a fricative: its noise, two frames at once
                hiss_values, hiss_kinds = _hiss(sample)
                values += hiss_values
                kinds += hiss_kinds
                y = (y + 2) & 0xFF
                frame_count = (frame_count - 2) & 0xFF
                s1, s2, q3 = _SINE[a1[y]], _SINE[a2[y]], _SQUARE[a3[y]]
            else:
                # all samples before the next frame, pulse or noise burst at once
                run = min(left or 256, pulse or 256, (countdown or 256) if sample else 256) - 1
                if run > 0:
                    g1, g2, g3 = f1[y], f2[y], f3[y]
                    values += _voiced_run((s1, s2, q3), (p1, p2, p3), (g1, g2, g3), run)
                    kinds += _VOICED_KINDS[:run]
                    p1, p2 = (p1 + run * g1) & 0xFF, (p2 + run * g2) & 0xFF
                    p3 = (p3 + run * g3) & 0xFF
                    left, pulse = (left - run) & 0xFF, (pulse - run) & 0xFF
                    countdown = (countdown - run) & 0xFF
                put(_FINAL[_CARRY[s1[p1] + s2[p2]] + q3[p3]])
                mark(VOICED)
                left = (left - 1) & 0xFF
                if left:
                    pulse = (pulse - 1) & 0xFF
                    if not pulse:
                        pulse = pitch[y]
                        countdown = (pulse - (pulse >> 2)) & 0xFF
                        p1 = p2 = p3 = 0
                        continue
                    countdown = (countdown - 1) & 0xFF
                    if countdown or not sample:
                        p1 = (p1 + f1[y]) & 0xFF
                        p2 = (p2 + f2[y]) & 0xFF
                        p3 = (p3 + f3[y]) & 0xFF
                        continue
                    self._buzz(sample, pitch[9] >> 4)
                    pulse = pitch[y]
                    countdown = (pulse - (pulse >> 2)) & 0xFF
                    p1 = p2 = p3 = 0
                    continue
                y = (y + 1) & 0xFF
                frame_count = (frame_count - 1) & 0xFF
                s1, s2, q3 = _SINE[a1[y]], _SINE[a2[y]], _SQUARE[a3[y]]
            if not frame_count:
                return
            left = speed
            pulse = (pulse - 1) & 0xFF
            if not pulse:
                pulse = pitch[y]
                countdown = (pulse - (pulse >> 2)) & 0xFF
                p1 = p2 = p3 = 0
                continue
            countdown = (countdown - 1) & 0xFF
            if countdown or not sample:
                p1 = (p1 + f1[y]) & 0xFF
                p2 = (p2 + f2[y]) & 0xFF
                p3 = (p3 + f3[y]) & 0xFF
                continue
            if sample & 0xF8:  # the pulse ends just after a fricative: its noise once more
                hiss_values, hiss_kinds = _hiss(sample)
                values += hiss_values
                kinds += hiss_kinds
            else:
                self._buzz(sample, pitch[9] >> 4)
            pulse = pitch[y]
            countdown = (pulse - (pulse >> 2)) & 0xFF
            p1 = p2 = p3 = 0

    def _buzz(self, sample: int, count: int) -> None:
        """A voiced fricative's noise burst at the end of a glottal pulse (``count`` + 1 bytes)."""
        row = (sample & 7) - 1
        values, kinds = _noise_bits(row, self._buzz_at, count + 1, (BUZZ_1, 26 << 4 & 0xFF),
                                    (BUZZ_0, 6 << 4))
        self._buzz_at = (self._buzz_at + count + 1) & 0xFF
        self.values += values
        self.kinds += kinds

    def format_frames(self, count: int) -> str:
        """The firmware's debug table of the frames about to be played (``PrintOutput``)."""
        pitch, f1, f2, f3, a1, a2, a3 = self.tables
        rule = "=" * 43 + "\r\n"
        lines = [rule, f"Final data for speech output. {count} frames:\r\n\r\n",
                 " flags ampl1 freq1 ampl2 freq2 ampl3 freq3 pitch\r\n", "-" * 48 + "\r\n"]
        for i in range(count):
            lines.append("".join(f"{v:5d} " for v in (self.sampled[i], a1[i], f1[i], a2[i],
                                                       f2[i], a3[i], f3[i]))
                         + f"{pitch[i]:5d}\r\n")
        return "".join(lines + [rule])


def _interpolate(table: list[int], mask: int, start: int, count: int, delta: int) -> None:
    """SAM's integer line from frame ``start`` over ``count`` frames, ``delta`` (8 bits) in all."""
    delta &= 0xFF
    signed = delta - 256 if delta & 0x80 else delta
    if count:
        remainder = abs(signed) % count
        step = (abs(signed) // count * (-1 if signed < 0 else 1)) & 0xFF
    else:  # the firmware divides by zero here: the ARM runtime gives 0
        remainder = step = 0
    at, error, left = start, 0, count
    while True:
        value = (table[at] + step) & 0xFF
        at = (at + 1) & 0xFF
        left = (left - 1) & 0xFF
        if not left:
            return
        error = (error + remainder) & 0xFF
        if error >= count:
            error -= count
            if signed >= 0:
                if value:
                    value = (value + 1) & 0xFF
            else:
                value = (value - 1) & 0xFF
        table[at] = value & mask
