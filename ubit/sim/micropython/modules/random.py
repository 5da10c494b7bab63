"""``random`` / ``urandom`` (reference §30), with each firmware's own generator.

After ``seed(n)`` the numbers are the board's: V1 draws from microbit-dal's
32-bit Galois LFSR bit by bit (so ``seed(1)`` gives a long run of ones from
``randint(1, 6)``, as a real V1 does), V2 from MicroPython's Yasmarang. Without
a seed the generator starts from ``device.random`` (the firmware seeds it from
the hardware RNG), so a run is repeatable with the board's seed. No
``shuffle``/``sample``: the firmware has neither.
"""

from __future__ import annotations

from typing import Any

from ubit.sim.board.board import Board
from ubit.sim.micropython.boundary import api
from ubit.sim.micropython.modules.struct import new_float, to_float, to_int, to_int_truncated
from ubit.sim.micropython.mpfloat import float32

MASK32 = 0xFFFFFFFF


class DalRandom:
    """V1: microbit-dal's ``microbit_random`` (LFSR taps 31, 6, 4, 2, 1, 0)."""

    bits_limit = 30  # getrandbits(n) accepts 1..30

    def __init__(self, seed: int) -> None:
        self.state = seed & MASK32

    def seed(self, value: int) -> None:
        """Restart from ``value``."""
        self.state = value & MASK32

    def below(self, n: int) -> int:
        """A number in ``range(n)`` (``n`` > 0): one LFSR bit per bit of ``n - 1``."""
        top = n - 1
        while True:
            result, m = 0, top
            while True:
                s = self.state
                feedback = ((s >> 31) ^ (s >> 6) ^ (s >> 4) ^ (s >> 2) ^ (s >> 1) ^ s) & 1
                s = self.state = (feedback << 31) | (s >> 1)
                result = (result << 1) | (s & 1)
                m >>= 1
                if not m:
                    break
            if result <= top:
                return result

    def word(self) -> int:
        """30 random bits, as the firmware's ``rand30``."""
        return self.below(1 << 30)

    def fraction(self) -> float:
        """A float in [0, 1) from 23 mantissa bits."""
        return (self.word() & 0x7FFFFF) / (1 << 23)


class Yasmarang:
    """V2: MicroPython's Yasmarang generator (``extmod/modurandom.c``)."""

    bits_limit = 32

    def __init__(self, seed: int) -> None:
        self.seed(seed)

    def seed(self, value: int) -> None:
        """Restart from ``value``."""
        self.pad, self.n, self.d, self.dat = value & MASK32, 69, 233, 0

    def word(self) -> int:
        """32 random bits."""
        pad = (self.pad + self.dat + self.d * self.n) & MASK32
        pad = ((pad << 3) + (pad >> 29)) & MASK32
        self.pad, self.n = pad, pad | 2
        self.d = (self.d ^ (((pad << 31) + (pad >> 1)) & MASK32)) & MASK32
        self.dat = (self.dat ^ (pad & 0xFF) ^ (self.d >> 8) ^ 1) & 0xFF
        return (pad ^ (self.d << 5) ^ (pad >> 18) ^ (self.dat << 1)) & MASK32

    def below(self, n: int) -> int:
        """A number in ``range(n)`` (``n`` > 0), by masking and retrying."""
        mask = 1
        while (n & mask) < n:
            mask = (mask << 1) | 1
        while True:
            r = self.word() & mask
            if r < n:
                return r

    def fraction(self) -> float:
        """A float in [0, 1) from 23 mantissa bits."""
        return (self.word() & 0x7FFFFF) / (1 << 23)


_NO = object()  # "argument not given" (None is an argument MicroPython would refuse)


def _cdiv(a: int, b: int) -> int:
    """C integer division (rounds toward zero)."""
    q = abs(a) // abs(b)
    return q if (a >= 0) == (b > 0) else -q


def create(board: Board) -> dict[str, Any]:
    """The names of ``random`` (V1) / ``urandom`` (V2) on ``device``."""
    spec = board.spec
    dal = spec.random_generator == "dal"  # V1's microbit-dal generator, else V2's Yasmarang
    gen: DalRandom | Yasmarang = (DalRandom if dal else Yasmarang)(board.random.getrandbits(32))

    def getrandbits(n: Any) -> int:
        """``n`` random bits."""
        bits = to_int(n)
        if dal:
            if bits > 30 or bits == 0:
                raise ValueError()
            word = gen.word()
            return word & (MASK32 >> (32 - bits)) if bits > 0 else 0  # negative n: mask is 0
        if bits > 32 or bits < 0:
            raise ValueError("bits must be 32 or less")
        return gen.word() & (MASK32 >> (32 - bits)) if bits else 0

    def seed(n: Any = None) -> None:
        """Restart the generator from ``n`` (none: from the hardware RNG)."""
        gen.seed(board.random.getrandbits(32) if n is None else to_int_truncated(n))

    def randrange(start: Any, stop: Any = _NO, step: Any = _NO) -> int:
        """A random element of ``range(start, stop, step)``."""
        first = to_int(start)
        if stop is _NO:
            if first > 0:
                return gen.below(first)
            raise ValueError()
        last = to_int(stop)
        if step is _NO:
            if first < last:
                return first + gen.below(last - first)
            raise ValueError()
        stride = to_int(step)
        if stride > 0:
            count = _cdiv(last - first + stride - 1, stride)
        elif stride < 0:
            count = _cdiv(last - first + stride + 1, stride)
        else:
            raise ValueError()
        if count > 0:
            return first + stride * gen.below(count)
        raise ValueError()

    def randint(a: Any, b: Any) -> int:
        """A random integer from ``a`` to ``b`` inclusive."""
        low, high = to_int(a), to_int(b)
        if low <= high:
            return low + gen.below(high - low + 1)
        raise ValueError()

    def choice(seq: Any) -> Any:
        """A random element of a non-empty sequence."""
        size = len(seq)
        if size > 0:
            return seq[gen.below(size)]
        raise IndexError()

    def random() -> float:
        """A float in [0, 1)."""
        return new_float(gen.fraction(), spec.floats_in_word)

    def uniform(a: Any, b: Any) -> float:
        """A float between ``a`` and ``b``."""
        low, high = to_float(a), to_float(b)
        return new_float(low + float32(float32(high - low) * gen.fraction()),
                         spec.floats_in_word)

    functions = (getrandbits, seed, randrange, randint, choice, random, uniform)
    names = {"__name__": spec.module_name("random")}
    names.update({fn.__name__: api(fn) for fn in functions})
    return names
