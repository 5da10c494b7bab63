"""SAM's phoneme text to timed phonemes: parsing, rewriting, stress, lengths and breaths.

The phonemes live in a list of 128 slots, as in the firmware (the last always holds the
end marker), and inserting one pushes the rest along, dropping what falls off the end.
Indexes are 8-bit like the firmware's, and slots past the end read as zeros.
"""

from __future__ import annotations

from ubit.sim.shared.sound.sam.phoneme_tables import (
    FLAGS,
    FLAGS2,
    LENGTH,
    NAME1,
    NAME2,
    STRESS_MARKS,
    STRESSED_LENGTH,
)

SLOTS = 128  # INPUT_PHONEMES
END, BREATH = 127, 126  # PHONEME_END, PHONEME_END_BREATH
_MAX_STEPS = 1 << 16  # parse steps: far more than any text that ends takes
BREATH_FRAMES = 240  # a breath is taken after this many frames (RENDER_FRAMES - 16)
PHONEME_COUNT = 81
# phoneme indexes the rules refer to
PAUSE, PERIOD, QUESTION = 0, 1, 2
AX, UX, RX, LX, WX, YX, R, L, M, N = 13, 16, 18, 19, 20, 21, 23, 24, 27, 28
DX, Q, S, Z = 30, 31, 32, 38
CH, J, UW, D, G, GX, T, K, KX, UL, UM, UN = 42, 44, 53, 57, 60, 63, 69, 72, 75, 78, 79, 80
H_SLASH, X_SLASH = 36, 37
# flag bits (phoneme_tables.FLAGS / FLAGS2)
VOWEL, CONSONANT, ENDS_IY, DIPHTHONG, VOICED_CONSONANT, VOICED, STOP, UNVOICED_STOP = (
    128, 64, 32, 16, 8, 4, 2, 1)
FRICATIVE, LIQUID, NASAL, ALVEOLAR, PUNCTUATION = 32, 16, 8, 4, 1


class SamError(ValueError):
    """An error SAM reports (``sam_error``), raised by ``speech`` as ValueError."""


class Phoneme:
    """One slot: phoneme index, length in frames, stress (0–9) and pitch."""

    __slots__ = ("index", "length", "stress", "pitch")

    def __init__(self, index: int = 0, length: int = 0, stress: int = 0, pitch: int = 0) -> None:
        self.index, self.length, self.stress, self.pitch = index, length, stress, pitch

    def __repr__(self) -> str:
        return f"Phoneme({self.index}, {self.length}, {self.stress}, {self.pitch})"


class Phonemes:
    """The 128 slots (and, read as zeros, the 8-bit indexes past them)."""

    def __init__(self) -> None:
        self.slots = [Phoneme() for _ in range(256)]
        self.slots[SLOTS - 1].index = END

    def __getitem__(self, at: int) -> Phoneme:
        return self.slots[at & 0xFF]

    def index(self, at: int) -> int:
        """The phoneme index in slot ``at`` (slot -1 reads as a pause, as on the board)."""
        return self.slots[at & 0xFF].index if at >= 0 else 0

    def insert(self, at: int, index: int, length: int, stress: int, pitch: int) -> None:
        """Put a phoneme at ``at``, moving the later ones up (the end marker stays put)."""
        if at <= SLOTS - 2:
            self.slots[at + 1:SLOTS - 1] = self.slots[at:SLOTS - 2]
        self.slots[at & 0xFF] = Phoneme(index, length, stress, pitch)

    def used(self) -> list[Phoneme]:
        """The slots up to the end marker."""
        end = next(i for i, p in enumerate(self.slots) if p.index == END)
        return self.slots[:end]


# -- parsing (Parser1) ---------------------------------------------------------------------
_PAIRS = {NAME1[i] + NAME2[i]: i for i in reversed(range(PHONEME_COUNT)) if NAME2[i] != "*"}
_SINGLES = {NAME1[i]: i for i in reversed(range(PHONEME_COUNT)) if NAME2[i] == "*"}


def _upper(byte: int) -> int:
    return byte - 32 if byte > 96 else byte


def parse(text: bytes, pitch: int) -> Phonemes:
    """The phonemes of ``text``, each at ``pitch`` or the last ``#NN`` before it."""
    out = Phonemes()
    position, at = 0, 0
    for _ in range(_MAX_STEPS):
        if position >= SLOTS:
            raise SamError("Phonemes too long")
        if at >= len(text):
            out[position].index = END
            return out
        first = _upper(text[at])
        at = (at + 1) & 0xFF  # an 8-bit offset: a text over 255 bytes is read again
        second = _upper(text[at]) if at < len(text) else 0
        if first == ord("#"):
            value = second - ord("0")
            if not 0 <= value <= 9:
                raise SamError("Illegal pitch")
            at = (at + 1) & 0xFF
            while at < len(text) and 0x30 <= text[at] <= 0x39:
                value = (value * 10 + text[at] - 0x30) & 0xFFFFFFFF
                at = (at + 1) & 0xFF
            if value > 255:
                raise SamError("Illegal pitch")
            pitch = value
            continue
        pair = _PAIRS.get(chr(first) + chr(second)) if second else None
        if pair is not None:
            out.slots[position] = Phoneme(pair, 0, 0, pitch)
            position += 1
            at = (at + 1) & 0xFF
            continue
        single = _SINGLES.get(chr(first))
        if single is not None:
            out.slots[position] = Phoneme(single, 0, 0, pitch)
            position += 1
            continue
        stress = STRESS_MARKS.find(chr(first), 1)
        if stress < 1:
            raise SamError("Phoneme not understood")
        if position:  # a stress before any phoneme is lost (measured under QEMU)
            out[position - 1].stress = stress
    # over 255 bytes of only pitch marks and stress digits: the firmware never returns
    raise SamError("Phonemes too long")


# -- rewriting (Parser2) ---------------------------------------------------------------------
def _soften_t_d(ph: Phonemes, at: int, index: int) -> None:
    """T or D after a vowel and before an unstressed vowel (or a pause, then a vowel): DX."""
    if index not in (T, D) or not FLAGS[ph.index(at - 1)] & VOWEL:
        return
    following = ph.index(at + 1)
    if following != PAUSE:
        if FLAGS[following] & VOWEL and not ph[at + 1].stress:
            ph[at].index = DX
    else:
        after = ph.index(at + 2)
        if after != END and FLAGS[after] & VOWEL:
            ph[at].index = DX


def _finish(ph: Phonemes, at: int) -> None:
    """The last rules: alveolar UW is UX, CH and J get their second part, T/D soften."""
    index = ph.index(at)
    if index == UW:
        if FLAGS2[ph.index(at - 1)] & ALVEOLAR:
            ph[at].index = UX
    elif index in (CH, J):
        ph.insert(at + 1, index + 1, 0, ph[at].stress, ph[at].pitch)
    else:
        _soften_t_d(ph, at, index)


def _rewrite_one(ph: Phonemes, at: int, index: int) -> None:
    """Apply SAM's context rules to the phoneme at ``at`` (a real one, not a pause)."""
    here = ph[at]
    if FLAGS[index] & DIPHTHONG:  # OIL, COW: a glide after the diphthong
        glide = YX if FLAGS[index] & ENDS_IY else WX
        ph.insert(at + 1, glide, 0, here.stress, here.pitch)
        _finish(ph, at)
        return
    if index in (UL, UM, UN):  # AX and the consonant
        here.index = AX
        ph.insert(at + 1, {UL: L, UM: M, UN: N}[index], 0, here.stress, here.pitch)
        return
    if FLAGS[index] & VOWEL and here.stress and ph.index(at + 1) == PAUSE:
        following = ph.index(at + 2)
        if following != END and FLAGS[following] & VOWEL and ph[at + 2].stress:
            ph.insert(at + 2, Q, 0, 0, 0)  # a glottal stop between stressed vowels
            return
    before = ph.index(at - 1)
    if index == R:
        if before == T:
            ph[at - 1].index = CH  # TR: CH R (without CH's second part)
        elif before == D:
            ph[at - 1].index = J
        elif FLAGS[before] & VOWEL:
            here.index = RX
        return
    if index == L:
        if FLAGS[before] & VOWEL:
            here.index = LX
        return
    if index == S:
        if before == G:
            here.index = Z
        return
    if index == K:
        following = ph.index(at + 1)
        if following == END or not FLAGS[following] & ENDS_IY:
            here.index = KX
    elif index == G:
        following = ph.index(at + 1)
        if following != END and not FLAGS[following] & ENDS_IY:
            here.index = GX
        return
    index = here.index
    if FLAGS[index] & UNVOICED_STOP:
        if before == S:
            here.index = index - 12  # SP, ST, SK: the voiced stop
        else:
            _soften_t_d(ph, at, index)
        return
    _finish(ph, at)


def rewrite(ph: Phonemes) -> None:
    """SAM's phoneme rules (diphthong glides, UL/UM/UN, glottal stops, TR/DR, RX/LX, ...)."""
    at = 0
    while (index := ph.index(at)) != END:
        if index != PAUSE:
            _rewrite_one(ph, at, index)
        at += 1


# -- stress and lengths ----------------------------------------------------------------------
def copy_stress(ph: Phonemes) -> None:
    """A consonant before a stressed vowel takes that stress + 1 (LOY5TER: the L gets 6)."""
    at = 0
    while (index := ph.index(at)) != END:
        following = ph.index(at + 1)
        if FLAGS[index] & CONSONANT and following != END and FLAGS[following] & VOWEL:
            stress = ph[at + 1].stress
            if stress and not stress & 0x80:
                ph[at].stress = stress + 1
        at += 1


def set_lengths(ph: Phonemes) -> None:
    """Every phoneme's length from the tables, stressed or not."""
    for phoneme in ph.used():
        table = STRESSED_LENGTH if phoneme.stress and not phoneme.stress & 0x80 else LENGTH
        phoneme.length = table[phoneme.index]


def _lengthen_before_punctuation(ph: Phonemes) -> None:
    """From the vowel before a punctuation mark to it, fricatives and voiced sounds x1.5+1."""
    at = 0
    while (index := ph.index(at)) != END:
        if not FLAGS2[index] & PUNCTUATION:
            at += 1
            continue
        mark = at
        while True:  # back to the last vowel
            at = (at - 1) & 0xFF
            if at == 0:
                return  # (the firmware gives up on the whole pass here)
            index = ph[at].index
            if index == END or FLAGS[index] & VOWEL:
                break
        while at != mark:
            phoneme = ph[at]
            if phoneme.index != END and (not FLAGS2[phoneme.index] & FRICATIVE
                                         or FLAGS[phoneme.index] & VOICED):
                phoneme.length = ((phoneme.length >> 1) + phoneme.length + 1) & 0xFF
            at = (at + 1) & 0xFF
        at += 1


def _adjust_one(ph: Phonemes, at: int, index: int) -> None:
    """The length rules for the phoneme at ``at`` and the one(s) after it."""
    if FLAGS[index] & VOWEL:
        following = ph.index(at + 1)
        flags = 65 if following == END else FLAGS[following]
        if not FLAGS[following] & CONSONANT:
            if following in (RX, LX) and FLAGS[ph.index(at + 2)] & CONSONANT:
                ph[at].length = (ph[at].length - 1) & 0xFF  # vowel RX/LX consonant
        elif not flags & VOICED:
            if flags & UNVOICED_STOP:  # vowel before P, T, K, KX: 1/8 shorter
                ph[at].length -= ph[at].length >> 3
        else:  # vowel before a voiced consonant: 5/4 + 1
            ph[at].length = ((ph[at].length >> 2) + ph[at].length + 1) & 0xFF
    elif FLAGS2[index] & NASAL:
        following = ph.index(at + 1)
        if following != END and FLAGS[following] & STOP:
            ph[at + 1].length, ph[at].length = 6, 5
    elif FLAGS[index] & STOP:
        other = at + 1
        while ph.index(other) == PAUSE:
            other += 1
        following = ph.index(other)
        if following != END and FLAGS[following] & STOP:  # two stops: both halved + 1
            ph[other].length = (ph[other].length >> 1) + 1
            ph[at].length = (ph[at].length >> 1) + 1
    elif FLAGS2[index] & LIQUID and FLAGS[ph.index(at - 1)] & STOP:
        ph[at].length = (ph[at].length - 2) & 0xFF  # a liquid after a stop: 2 frames shorter


def adjust_lengths(ph: Phonemes) -> None:
    """SAM's rules that lengthen and shorten phonemes by their neighbours."""
    _lengthen_before_punctuation(ph)
    at = 0
    while (index := ph.index(at)) != END:
        _adjust_one(ph, at, index)
        at += 1


def expand_stops(ph: Phonemes) -> None:
    """Stop consonants become three phonemes (closure, burst, aspiration)."""
    at = 0
    while (index := ph.index(at)) != END:
        if not FLAGS[index] & STOP:
            at += 1
            continue
        if FLAGS[index] & UNVOICED_STOP:
            other = at + 1
            while ph.index(other) == PAUSE:
                other += 1
            following = ph.index(other)
            if following != END and (FLAGS[following] & VOICED_CONSONANT
                                     or following in (H_SLASH, X_SLASH)):
                at += 1
                continue
        here = ph[at]
        for k in (1, 2):
            ph.insert(at + k, index + k, LENGTH[index + k], here.stress, here.pitch)
        at += 3


def insert_breaths(ph: Phonemes) -> None:
    """A breath (the end of a rendered group) after punctuation and every ~240 frames."""
    at, frames = 0, 0
    while (index := ph.index(at)) != END:
        frames = (frames + ph[at].length) & 0xFF
        if frames >= BREATH_FRAMES:
            ph.insert(at + 1, PAUSE, 0, 0, 0)
            ph.insert(at + 2, BREATH, 0, 0, 0)
            at += 2
            frames = 0
        elif index < BREATH and FLAGS2[index] & PUNCTUATION:
            ph.insert(at + 1, BREATH, 0, 0, 0)
            at += 1
            frames = 0
        at += 1


def groups(ph: Phonemes) -> list[list[Phoneme]]:
    """The phonemes split at breaths, pauses left out: what the renderer gets, group by group."""
    out: list[list[Phoneme]] = [[]]
    for phoneme in ph.used():
        if phoneme.index == BREATH:
            out.append([])
        elif phoneme.index != PAUSE:
            out[-1].append(Phoneme(phoneme.index, phoneme.length, phoneme.stress,
                                   phoneme.pitch))
    return out


def prepare(text: bytes, pitch: int, log: list[str] | None = None) -> list[list[Phoneme]]:
    """Parse ``text`` and apply all of SAM's rules; with ``log``, the debug printout."""
    ph = parse(text, pitch)
    if log is not None:
        log.append(format_phonemes("Input phonemes", ph))
    rewrite(ph)
    copy_stress(ph)
    set_lengths(ph)
    adjust_lengths(ph)
    expand_stops(ph)
    for phoneme in ph.used():
        if phoneme.index >= PHONEME_COUNT:
            raise SamError("INTERNAL ERROR: Illegal phoneme index")
    if log is not None:
        log.append("Insert Breadth\r\n")
    insert_breaths(ph)
    if log is not None:
        log.append(format_phonemes("Processed phonemes", ph))
    return groups(ph)


def format_phonemes(title: str, ph: Phonemes) -> str:
    """The firmware's debug table of the phonemes (``PrintPhonemes``)."""
    rule = "=" * 43 + "\r\n"
    lines = [rule, f"{title}:\r\n\r\n", " idx    phoneme  length  stress\r\n", "-" * 30 + "\r\n"]
    for phoneme in ph.used():
        name = (NAME1[phoneme.index] + NAME2[phoneme.index] if phoneme.index < PHONEME_COUNT
                else "??")
        lines.append(f" {phoneme.index:3d}      {name}      {phoneme.length:3d}"
                     f"       {phoneme.stress}\r\n")
    return "".join(lines + [rule, "\r\n"])
