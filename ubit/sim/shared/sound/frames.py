"""Audio frames (32 unsigned 8-bit samples, reference §15.1) placed on the stream's sample grid.

The board plays frames back to back at 7812.5 Hz (V1: 128 µs a sample) or 7812 Hz (V2:
``DEFAULT_SAMPLE_RATE`` in ``modaudio.c``). Each frame becomes one clip on the board's
audio stream at ``synth.SAMPLE_RATE``; ``FramePlacer`` works out, in whole numbers, the
stream samples each frame covers, so consecutive clips join without a gap or an overlap
however long the sound goes on, and when each clip starts (in µs, on that sample).

V2 smooths the samples by linear interpolation (×4, from the previous sample to the
current one, as ``audio_data_fetcher`` does); V1's PWM holds each sample for its period.
Pure functions, no board state.
"""

from __future__ import annotations

from ubit.sim.shared.sound import synth

FRAME = 32  # samples in a frame
Rate = tuple[int, int]  # a sample rate in Hz as a fraction (numerator, denominator)
RATE_V1: Rate = (15625, 2)  # 7812.5 Hz: one sample every 128 µs
RATE_V2: Rate = (7812, 1)
SILENCE = 128


def stream_index(t_us: int) -> int:
    """The stream sample at ``t_us`` (as ``mixer.StreamRenderer`` rounds board times)."""
    return (t_us * synth.SAMPLE_RATE + 500_000) // 1_000_000  # µs times never fall on .5


def index_time_us(index: int) -> int:
    """A µs instant that ``stream_index`` maps to ``index`` (its sample's start, rounded down)."""
    return index * 1_000_000 // synth.SAMPLE_RATE


class FramePlacer:
    """Where the frames of one playback go on the stream, and their samples there."""

    def __init__(self, start_us: int, rate: Rate, interpolate: bool) -> None:
        self.first = stream_index(start_us)  # stream sample where frame 0 starts
        self.rate = rate
        self.interpolate = interpolate
        self.count = 0  # frames placed so far
        self._last = SILENCE  # the sample before the next frame (for the interpolation)

    def start_index(self, k: int) -> int:
        """The first stream sample of frame ``k``."""
        num, den = self.rate
        # ceil(k * 32 * out_rate / rate) in integers
        return self.first - (-(k * FRAME * synth.SAMPLE_RATE * den) // num)

    def start_us(self, k: int) -> int:
        """When frame ``k`` starts playing (µs since boot, on its first stream sample)."""
        return index_time_us(self.start_index(k))

    def place(self, frame: bytes) -> tuple[int, bytes]:
        """``(start µs, unsigned 8-bit samples at the stream's rate)`` of the next frame."""
        k = self.count
        begin, end = self.start_index(k), self.start_index(k + 1)
        num, den = self.rate[0], self.rate[1] * synth.SAMPLE_RATE
        out = bytearray(end - begin)
        previous = self._last
        for n in range(begin, end):
            # position in source samples since frame 0, as a fraction num/den per output sample
            quarters = (n - self.first) * num * 4 // den  # whole quarter-samples
            i = quarters // 4 - k * FRAME
            current = frame[i]
            if self.interpolate:
                before = frame[i - 1] if i else previous
                j = quarters % 4
                out[n - begin] = ((3 - j) * before + (j + 1) * current) // 4
            else:
                out[n - begin] = current
        self._last = frame[FRAME - 1]
        self.count += 1
        return self.start_us(k), bytes(out)
