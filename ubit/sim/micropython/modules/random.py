"""``random`` / ``urandom`` (reference §30), with each firmware's own generator.

After ``seed(n)`` the numbers are the board's: V1 draws from microbit-dal's
32-bit Galois LFSR bit by bit (so ``seed(1)`` gives a long run of ones from
``randint(1, 6)``, as a real V1 does), V2 from MicroPython's Yasmarang. Without
a seed the generator starts from ``device.random`` (the firmware seeds it from
the hardware RNG), so a run is repeatable with the board's seed. No
``shuffle``/``sample``: the firmware has neither.

Speed (issue 17): both generators run ahead in bulk (the LFSR 26 bits per step of
word arithmetic, Yasmarang a batch of words), and ``randint``, ``randrange``,
``choice`` and ``getrandbits`` take plain ints and built-in sequences without leaving
their own frame; anything else (int subclasses, bools, floats, a drained batch) takes
the checked path, with the same numbers and errors. Where ``_randnative`` was built
(``_randnative.c``, by pip/make), the V2's Yasmarang and those functions' common case
are C, the same words one at a time; ``UBIT_RANDOM_NATIVE=0`` uses the Python code.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from sys import getrecursionlimit as _get
from sys import setrecursionlimit as _set

from ubit.sim.board.board import Board
from ubit.sim.micropython.args import WORD, check_count
from ubit.sim.micropython.boundary import ROOM, _bottom, _pending, c_function
from ubit.sim.micropython.modules.struct import new_float, to_float, to_int, to_int_truncated
from ubit.sim.micropython.mpfloat import float32
from ubit.sim.shared.typenames import Any

try:  # built from _randnative.c by pip/make
    from ubit.sim.micropython import _randnative
except ImportError:  # no C compiler where ubit was installed: the Python generator
    _randnative = None  # type: ignore[assignment]

NATIVE_ENV = "UBIT_RANDOM_NATIVE"
MASK32 = 0xFFFFFFFF
MESSAGE = "maximum recursion depth exceeded"  # boundary.api's
TWICE = (1 << 32) | 1  # x * TWICE: a 32-bit x twice over, for rotating it with one shift
CHUNK = 26  # LFSR bits made per step of word arithmetic (see ``DalRandom.refill``)
CHUNK_MASK = (1 << CHUNK) - 1
LFSR_STEPS = 8  # steps per refill: 208 bits, a few draws' worth
FIRST_BATCH, LAST_BATCH = 16, 1024  # Yasmarang words per refill: doubling while drawn from
# For draws below n (n up to TABLE): bits the LFSR draws per try (the firmware draws one per
# bit of n - 1, at least one), their mask, and Yasmarang's mask (the bits of n itself).
TABLE = 1024
_DAL_BITS = [max(1, (n - 1).bit_length()) for n in range(1, TABLE + 1)]
_DAL_BITS.insert(0, 0)
_DAL_MASKS = [(1 << k) - 1 for k in _DAL_BITS]
_YAS_MASKS = [(1 << n.bit_length()) - 1 for n in range(TABLE + 1)]
_SEQUENCES = frozenset({list, tuple, str, bytes, bytearray, range})  # len() and [i] in C


class DalRandom:
    """V1: microbit-dal's ``microbit_random`` (LFSR taps 31, 6, 4, 2, 1, 0).

    Each LFSR step shifts the state right one bit and puts the taps' parity in bit 31;
    ``microbit_random`` reads bit 0 after each step. So the bits drawn are one stream:
    the seed's bits 1 to 31, then bit ``t + 32`` = the parity of bits ``t``, ``t + 1``,
    ``t + 2``, ``t + 4``, ``t + 6`` and ``t + 31``. ``bits`` holds the next ``avail``
    bits of it, the first drawn highest; ``window`` the last 32 bits made.
    """

    bits_limit = 30  # getrandbits(n) accepts 1..30

    def __init__(self, seed: int) -> None:
        self.seed(seed)

    def seed(self, value: int) -> None:
        """Restart from ``value``."""
        # the state's bit 0 is the stream's first bit: reversed, it is the window
        self.window = int(f"{value & MASK32:032b}"[::-1], 2)
        self.bits = self.window & 0x7FFFFFFF  # bit 0 of the seed itself is never drawn
        self.avail = 31

    def refill(self) -> None:
        """Make ``LFSR_STEPS * CHUNK`` more bits of the stream."""
        window, avail = self.window, self.avail
        bits = self.bits & ((1 << avail) - 1)
        for _ in range(LFSR_STEPS):
            # the next 26 bits' taps but bit t + 31, which is the bit before each new one:
            # so the new bits are a running parity, from the window's last bit on
            fresh = ((window ^ (window << 1) ^ (window << 2) ^ (window << 4) ^ (window << 6))
                     >> 6) & CHUNK_MASK
            fresh ^= fresh >> 1
            fresh ^= fresh >> 2
            fresh ^= fresh >> 4
            fresh ^= fresh >> 8
            fresh ^= fresh >> 16
            if window & 1:
                fresh ^= CHUNK_MASK
            window = ((window << CHUNK) | fresh) & MASK32
            bits = (bits << CHUNK) | fresh
        self.window, self.bits, self.avail = window, bits, avail + LFSR_STEPS * CHUNK

    def below(self, n: int) -> int:
        """A number in ``range(n)`` (``n`` > 0): one LFSR bit per bit of ``n - 1``."""
        top = n - 1
        size = max(1, top.bit_length())
        mask = (1 << size) - 1
        while True:
            if self.avail < size:
                self.refill()
            self.avail -= size
            result = (self.bits >> self.avail) & mask
            if result <= top:
                return result

    def word(self) -> int:
        """30 random bits, as the firmware's ``rand30``."""
        return self.below(1 << 30)

    def fraction(self) -> float:
        """A float in [0, 1) from 23 mantissa bits."""
        return (self.word() & 0x7FFFFF) / (1 << 23)


class Yasmarang:
    """V2: MicroPython's Yasmarang generator (``extmod/modurandom.c``).

    Its words are made in batches (``refill``); ``words`` iterates over what is left.
    """

    bits_limit = 32

    def __init__(self, seed: int) -> None:
        self.seed(seed)

    def seed(self, value: int) -> None:
        """Restart from ``value``."""
        self.pad, self.n, self.d, self.dat = value & MASK32, 69, 233, 0
        self.words: Iterator[int] = iter(())
        self.batch = FIRST_BATCH

    def refill(self) -> None:
        """The next batch of words (each batch twice the last, up to ``LAST_BATCH``)."""
        pad, n, d, dat = self.pad, self.n, self.d, self.dat
        words = [0] * self.batch
        for i in range(self.batch):
            # pad = rotl3(pad + dat + d * n); d ^= rotr1(pad), which is rotl2 of the sum:
            # both read from the 32-bit sum written twice over 64 bits
            twice = ((pad + dat + d * n) & MASK32) * TWICE
            pad = (twice >> 29) & MASK32
            d ^= (twice >> 30) & MASK32
            n = pad | 2
            dat = (dat ^ pad ^ (d >> 8) ^ 1) & 0xFF
            words[i] = pad ^ (d << 5) ^ (pad >> 18) ^ (dat << 1)  # over 32 bits: masked in use
        self.pad, self.n, self.d, self.dat = pad, n, d, dat
        self.words = iter(words)
        self.batch = min(LAST_BATCH, 2 * self.batch)

    def word(self) -> int:
        """32 random bits."""
        for word in self.words:
            return word & MASK32
        self.refill()
        return next(self.words) & MASK32

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


def native() -> bool:
    """Whether the V2's generator is ``_randnative``'s (built, and not switched off by
    ``UBIT_RANDOM_NATIVE=0``)."""
    return _randnative is not None and \
        os.environ.get(NATIVE_ENV, "1") not in ("0", "off", "no", "false")


_NO = object()  # "argument not given" (None is an argument MicroPython would refuse)


def _cdiv(a: int, b: int) -> int:
    """C integer division (rounds toward zero)."""
    q = abs(a) // abs(b)
    return q if (a >= 0) == (b > 0) else -q


def create(board: Board) -> dict[str, Any]:
    """The names of ``random`` (V1) / ``urandom`` (V2) on ``device``."""
    spec = board.spec
    dal = spec.random_generator == "dal"  # V1's microbit-dal generator, else V2's Yasmarang
    seed = board.random.getrandbits(32)
    fast = not dal and native()
    gen: Any = DalRandom(seed) if dal else _randnative.Yasmarang(seed, WORD) if fast \
        else Yasmarang(seed)
    checked = _checked(board, gen, dal)

    def random() -> float:
        """A float in [0, 1)."""
        return new_float(gen.fraction(), spec.floats_in_word)

    def uniform(a: Any, b: Any) -> float:
        """A float between ``a`` and ``b``."""
        low, high = to_float(a), to_float(b)
        return new_float(low + float32(float32(high - low) * gen.fraction()),
                         spec.floats_in_word)

    drawing = _native(gen, checked) if fast else _fast(gen, checked)
    public = {**drawing, "seed": c_function(checked["seed"]), "random": c_function(random),
              "uniform": c_function(uniform)}
    names = {"__name__": spec.module_name("random")}
    for name in ("getrandbits", "seed", "randrange", "randint", "choice", "random", "uniform"):
        names[name] = public[name]  # in the order dir() has always shown
    return names


def _checked(board: Board, gen: Any, dal: bool) -> dict[str, Any]:
    """The functions for any arguments: each converts and checks them as the firmware."""

    def getrandbits(n: Any, /) -> int:
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

    def randrange(start: Any, stop: Any = _NO, step: Any = _NO, /, *extra: Any) -> int:
        """A random element of ``range(start, stop, step)``."""
        if extra:  # mp_arg_check_num of MP_DEFINE_CONST_FUN_OBJ_VAR_BETWEEN(1, 3)
            check_count(3 + len(extra), 1, 3)
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

    def randint(a: Any, b: Any, /) -> int:
        """A random integer from ``a`` to ``b`` inclusive."""
        low, high = to_int(a), to_int(b)
        if low <= high:
            return low + gen.below(high - low + 1)
        raise ValueError()

    def choice(seq: Any, /) -> Any:
        """A random element of a non-empty sequence."""
        size = len(seq)
        if size > 0:
            return seq[gen.below(size)]
        raise IndexError()

    return {fn.__name__: fn for fn in (getrandbits, seed, randrange, randint, choice)}




# ---------------------------------------------------------------------------------------
# The fast paths. Each public function first draws from what the generator has made
# already, in its own frame: with no call but ``_get()``, the one call the API wrapper
# makes before it lifts the limit, a call at the user's deepest level fails (or not)
# exactly as through the wrapper. Otherwise (other argument types, errors, the made draws
# running out) it does what the wrapper does, inlined for the same reason, around the
# checked function, which goes on from the same point of the stream (the tries already
# made are spent, as the firmware's would be: rejection sampling doesn't remember them).


def _fast(gen: DalRandom | Yasmarang, checked: dict[str, Any]) -> dict[str, Any]:
    """The public ``randint``, ``randrange``, ``choice`` and ``getrandbits``."""
    slow_randint, slow_randrange = checked["randint"], checked["randrange"]
    slow_choice, slow_getrandbits = checked["choice"], checked["getrandbits"]
    dal = isinstance(gen, DalRandom)
    lfsr: DalRandom = gen  # type: ignore[assignment]
    yasmarang: Yasmarang = gen  # type: ignore[assignment]
    bits_for, dal_masks, yas_masks = _DAL_BITS, _DAL_MASKS, _YAS_MASKS
    low, high, sequences = -WORD, WORD, _SEQUENCES
    pending, room, bottom = _pending, ROOM, _bottom

    # ``below(n)`` is inlined in each: the LFSR's tries take the bits of n - 1 each, while
    # made bits last; Yasmarang's take a made word each, masked to the bits of n.

    def randint(a: Any, b: Any, /) -> int:
        """A random integer from ``a`` to ``b`` inclusive."""
        limit = _get()
        if type(a) is int and type(b) is int and low <= a <= b < high and not pending:
            n = b - a + 1
            if dal:
                if n <= TABLE:
                    size, mask = bits_for[n], dal_masks[n]
                else:
                    size = mask = 1
                    while mask < n - 1:
                        mask, size = (mask << 1) | 1, size + 1
                avail = lfsr.avail
                while avail >= size:
                    avail -= size
                    result = (lfsr.bits >> avail) & mask
                    if result < n:
                        lfsr.avail = avail
                        return a + result
                lfsr.avail = avail
            else:
                if n <= TABLE:
                    mask = yas_masks[n]
                else:
                    mask = 1
                    while (n & mask) < n:
                        mask = (mask << 1) | 1
                    mask &= MASK32  # the made words may hold bits above 32
                for result in yasmarang.words:
                    result &= mask
                    if result < n:
                        return a + result
        if pending:  # as the wrapper: a limit an earlier call couldn't put back, now
            try:
                _set(pending[0])
            except RecursionError:
                raise RecursionError(MESSAGE) from None
            pending.clear()
            limit = _get()
        _set(limit + room)
        try:
            return slow_randint(a, b)
        finally:
            try:
                _set(limit)
            except RecursionError:
                bottom(limit)

    def randrange(start: Any, stop: Any = _NO, step: Any = _NO, /, *extra: Any) -> int:
        """A random element of ``range(start, stop, step)``."""
        limit = _get()
        if step is _NO and type(start) is int and low <= start < high and not pending:
            if stop is _NO:
                first, n = 0, start
            elif type(stop) is int and low <= stop < high:
                first, n = start, stop - start
            else:
                first = n = 0
            if n > 0:
                if dal:
                    if n <= TABLE:
                        size, mask = bits_for[n], dal_masks[n]
                    else:
                        size = mask = 1
                        while mask < n - 1:
                            mask, size = (mask << 1) | 1, size + 1
                    avail = lfsr.avail
                    while avail >= size:
                        avail -= size
                        result = (lfsr.bits >> avail) & mask
                        if result < n:
                            lfsr.avail = avail
                            return first + result
                    lfsr.avail = avail
                else:
                    if n <= TABLE:
                        mask = yas_masks[n]
                    else:
                        mask = 1
                        while (n & mask) < n:
                            mask = (mask << 1) | 1
                        mask &= MASK32
                    for result in yasmarang.words:
                        result &= mask
                        if result < n:
                            return first + result
        if pending:  # as the wrapper: a limit an earlier call couldn't put back, now
            try:
                _set(pending[0])
            except RecursionError:
                raise RecursionError(MESSAGE) from None
            pending.clear()
            limit = _get()
        _set(limit + room)
        try:
            return slow_randrange(start, stop, step, *extra)
        finally:
            try:
                _set(limit)
            except RecursionError:
                bottom(limit)

    def choice(seq: Any, /) -> Any:
        """A random element of a non-empty sequence."""
        limit = _get()
        if type(seq) in sequences and seq and not pending:
            n = len(seq)
            if dal:
                if n <= TABLE:
                    size, mask = bits_for[n], dal_masks[n]
                else:
                    size = mask = 1
                    while mask < n - 1:
                        mask, size = (mask << 1) | 1, size + 1
                avail = lfsr.avail
                while avail >= size:
                    avail -= size
                    result = (lfsr.bits >> avail) & mask
                    if result < n:
                        lfsr.avail = avail
                        return seq[result]
                lfsr.avail = avail
            else:
                if n <= TABLE:
                    mask = yas_masks[n]
                else:
                    mask = 1
                    while (n & mask) < n:
                        mask = (mask << 1) | 1
                    mask &= MASK32
                for result in yasmarang.words:
                    result &= mask
                    if result < n:
                        return seq[result]
        if pending:  # as the wrapper: a limit an earlier call couldn't put back, now
            try:
                _set(pending[0])
            except RecursionError:
                raise RecursionError(MESSAGE) from None
            pending.clear()
            limit = _get()
        _set(limit + room)
        try:
            return slow_choice(seq)
        finally:
            try:
                _set(limit)
            except RecursionError:
                bottom(limit)

    def getrandbits(n: Any, /) -> int:
        """``n`` random bits."""
        limit = _get()
        if type(n) is int and n > 0 and not pending:
            if dal:
                if n <= 30 and lfsr.avail >= 30:
                    lfsr.avail -= 30  # the firmware's rand30: a draw below 1 << 30
                    return (lfsr.bits >> lfsr.avail) & (MASK32 >> (32 - n))
            elif n <= 32:
                for result in yasmarang.words:
                    return result & (MASK32 >> (32 - n))
        if pending:  # as the wrapper: a limit an earlier call couldn't put back, now
            try:
                _set(pending[0])
            except RecursionError:
                raise RecursionError(MESSAGE) from None
            pending.clear()
            limit = _get()
        _set(limit + room)
        try:
            return slow_getrandbits(n)
        finally:
            try:
                _set(limit)
            except RecursionError:
                bottom(limit)

    return {"randint": randint, "randrange": randrange, "choice": choice,
            "getrandbits": getrandbits}


def _native(gen: Any, checked: dict[str, Any]) -> dict[str, Any]:
    """The public functions over ``_randnative``'s generator: its methods do the common
    case (None for anything else) in the user's call, after the same ``_get()`` as
    ``_fast``'s; the rest is ``_fast``'s, inlined as there, the checked functions drawing
    from ``gen``. (``gen.choice`` gives the index: an item may be None.)"""
    slow_randint, slow_randrange = checked["randint"], checked["randrange"]
    slow_choice, slow_getrandbits = checked["choice"], checked["getrandbits"]
    fast_randint, fast_randrange = gen.randint, gen.randrange
    fast_choice, fast_getrandbits = gen.choice, gen.getrandbits
    pending, room, bottom = _pending, ROOM, _bottom

    def randint(a: Any, b: Any, /) -> int:
        """A random integer from ``a`` to ``b`` inclusive."""
        limit = _get()
        if not pending:
            result = fast_randint(a, b)
            if result is not None:
                return result
        if pending:  # as the wrapper: a limit an earlier call couldn't put back, now
            try:
                _set(pending[0])
            except RecursionError:
                raise RecursionError(MESSAGE) from None
            pending.clear()
            limit = _get()
        _set(limit + room)
        try:
            return slow_randint(a, b)
        finally:
            try:
                _set(limit)
            except RecursionError:
                bottom(limit)

    def randrange(start: Any, stop: Any = _NO, step: Any = _NO, /, *extra: Any) -> int:
        """A random element of ``range(start, stop, step)``."""
        limit = _get()
        if step is _NO and not pending:
            result = fast_randrange(start) if stop is _NO else fast_randrange(start, stop)
            if result is not None:
                return result
        if pending:  # as the wrapper: a limit an earlier call couldn't put back, now
            try:
                _set(pending[0])
            except RecursionError:
                raise RecursionError(MESSAGE) from None
            pending.clear()
            limit = _get()
        _set(limit + room)
        try:
            return slow_randrange(start, stop, step, *extra)
        finally:
            try:
                _set(limit)
            except RecursionError:
                bottom(limit)

    def choice(seq: Any, /) -> Any:
        """A random element of a non-empty sequence."""
        limit = _get()
        if not pending:
            index = fast_choice(seq)
            if index is not None:
                return seq[index]
        if pending:  # as the wrapper: a limit an earlier call couldn't put back, now
            try:
                _set(pending[0])
            except RecursionError:
                raise RecursionError(MESSAGE) from None
            pending.clear()
            limit = _get()
        _set(limit + room)
        try:
            return slow_choice(seq)
        finally:
            try:
                _set(limit)
            except RecursionError:
                bottom(limit)

    def getrandbits(n: Any, /) -> int:
        """``n`` random bits."""
        limit = _get()
        if not pending:
            result = fast_getrandbits(n)
            if result is not None:
                return result
        if pending:  # as the wrapper: a limit an earlier call couldn't put back, now
            try:
                _set(pending[0])
            except RecursionError:
                raise RecursionError(MESSAGE) from None
            pending.clear()
            limit = _get()
        _set(limit + room)
        try:
            return slow_getrandbits(n)
        finally:
            try:
                _set(limit)
            except RecursionError:
                bottom(limit)

    return {"randint": randint, "randrange": randrange, "choice": choice,
            "getrandbits": getrandbits}
