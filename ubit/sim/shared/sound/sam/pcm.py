"""SAM's output bytes to the samples each firmware plays (V1, and V2's modes and volumes).

SAM stamps every output byte with a position on its own clock (``TIMETABLE`` units, about
1.22 MHz). The firmware turns positions into sample indexes: V1 with ``(pos * 420) >> 16``
at 7812.5 Hz (``source/lib/sam/render.h``), a byte holding until the next one lands; V2
(``src/codal_port/modspeech.c``) with ``pos >> 6`` at 19 kHz (modes 1, 2) or ``pos >> 5``
at 38 kHz (modes 3, 4), each byte filling the samples up to its index, linearly
interpolated in the smoothed modes 2 and 4; mode 0 outputs nothing on V2. V2 first
rescales the bytes by ``volume`` and pads the end with 128 to a whole 128-sample chunk.
"""

from __future__ import annotations

from itertools import accumulate

from ubit.sim.shared.sound.sam.render_tables import TIMETABLE

V1_RATE = 15_625  # V1's 7812.5 Hz samples, each given twice (its ticker runs at 15625 Hz)
V1_BLOCK = 32  # V1 audio frames are 32 samples
V2_CHUNK = 128  # V2's speech channel takes 128-sample chunks
SILENCE = 128
_SINGLE = [bytes([value]) for value in range(256)]

# src/codal_port/modspeech.c sam_sample_remap: volume 4's mapping of b >> 4
_REMAP4 = (0, 1, 2, 4, 8, 16, 32, 64, 128, 192, 224, 240, 248, 252, 254, 255)


_TIMES_5 = bytes((5 * b) & 0xFF for b in range(256))
_STEP = bytes(TIMETABLE) + bytes(256 - len(TIMETABLE))  # (previous * 5 + kind) -> time


def positions(kinds: bytes, previous: int = 0) -> list[int]:
    """Each byte's position on SAM's clock, given the kind of output before the first."""
    if not kinds:
        return []
    before = (bytes([previous]) + kinds[:-1]).translate(_TIMES_5)
    # previous * 5 + kind for every byte at once: the sums stay below 25, so no carries
    pairs = (int.from_bytes(before, "big") + int.from_bytes(kinds, "big")).to_bytes(
        len(kinds), "big")
    return list(accumulate(pairs.translate(_STEP)))


def volume_table(volume: int) -> bytes:
    """V2's rescaling of SAM's bytes for ``volume`` (0 and values over 4 leave them as they are)."""
    table = bytearray(range(256))
    for b in range(256):
        if volume == 1:
            table[b] = b | b >> 4
        elif volume in (2, 3):
            low, high = (2 << 4, 14 << 4) if volume == 2 else (3 << 4, 13 << 4)
            table[b] = (min(max(b, low), high) - low) * 255 // (high - low)
        elif volume == 4:
            table[b] = _REMAP4[b >> 4]
    return bytes(table)


def _hold(values: bytes, indexes: list[int], first: int = 0) -> bytes:
    """Sample ``i`` is the value whose index is the first above ``i`` (V2 without smoothing)."""
    single = _SINGLE
    return b"".join([single[value] * (index - before) for value, index, before
                     in zip(values, indexes, [first, *indexes[:-1]], strict=True)])


def _smooth(values: bytes, indexes: list[int]) -> bytes:
    """V2's smoothed modes: a line from the previous byte to each byte (C integer steps)."""
    out = bytearray()
    last_index, last_value = 0, 0
    for value, index in zip(values, indexes, strict=True):
        gap = index - last_index
        if gap > 0:
            diff = value - last_value
            step = abs(diff) // gap * (-1 if diff < 0 else 1)
            current = last_value
            for _ in range(gap - 1):
                current += step
                out.append(current & 0xFF)
            out.append(value)
            last_index = index
        last_value = value
    return bytes(out)


def v2_samples(values: bytes, kinds: bytes, mode: int, volume: int,
               previous: int = 0) -> tuple[bytes, int]:
    """The 8-bit samples V2 plays for SAM's output, and their rate (no samples in mode 0)."""
    if mode == 0:
        return b"", 15_625
    rate = 19_000 if mode <= 2 else 38_000
    shift = 6 if mode in (1, 2) else 5
    if not values:
        return b"", rate
    scaled = values.translate(volume_table(volume))
    indexes = [position >> shift for position in positions(kinds, previous)]
    pcm = _hold(scaled, indexes) if mode in (1, 3) else _smooth(scaled, indexes)
    pad = -len(pcm) % V2_CHUNK
    return pcm + bytes([SILENCE]) * pad, rate


def v1_samples(values: bytes, kinds: bytes, previous: int = 0) -> tuple[bytes, int]:
    """The samples V1 plays for SAM's output (at 15625 Hz), whole 32-sample frames."""
    if not values:
        return b"", V1_RATE
    indexes = [(position * 420) >> 16 for position in positions(kinds, previous)]
    # a byte holds from its own index until the next byte's: the first samples are silence
    pcm = bytes([SILENCE]) * indexes[0] + _hold(values[:-1], indexes[1:], indexes[0])
    pcm += _SINGLE[values[-1]] * (-(len(pcm) + 1) % V1_BLOCK + 1)
    doubled = bytearray(2 * len(pcm))
    doubled[0::2] = doubled[1::2] = pcm
    return bytes(doubled), V1_RATE
