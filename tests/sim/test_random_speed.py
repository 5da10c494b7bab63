"""The board's random module at speed (issue 17): the same numbers and errors as the
firmware's generators drawn bit by bit, word by word."""

from __future__ import annotations

import pytest

from tests.sim.runner import run_program
from tests.sim.test_files import make_device
from tests.sim.test_random_speed_golden import EXPECTED
from ubit.sim.micropython.modules import random as board_random

# Every function on every path: seeds (ints, big, negative, float, bool), sequences long
# enough to run through several made batches, n past the fast paths' tables, int
# subclasses and bools (the checked path), errors, and the deepest call that still works.
PROGRAM = """import random

print(dir(random))


def show(label, f):
    try:
        print(label, f())
    except Exception as e:
        print(label, type(e), e)


class I(int):
    pass


print(
    "unseeded",
    [random.randint(1, 6) for _ in range(30)],
    random.getrandbits(16),
    random.randrange(1000),
    random.choice("abcdefgh"),
)

for s in (0, 1, 2, 7, 42, 12345, -1, 2147483647, 4294967295, 99999999999, 3.0, True):
    show("seed", lambda: random.seed(s))
    print(s, [random.randint(1, 6) for _ in range(60)])
    print([random.randint(-1000, 1000) for _ in range(12)])
    print(
        [random.randint(0, 2147483647 - 1) for _ in range(4)],
        random.randint(-2147483648, 2147483647),
    )
    print(
        [random.randint(5, 5) for _ in range(3)], random.randint(0, 1), random.randint(0, 2)
    )
    print(
        [random.randrange(10) for _ in range(12)],
        random.randrange(1),
        random.randrange(2),
        random.randrange(256),
    )
    print(
        [random.randrange(5, 50) for _ in range(8)],
        random.randrange(-5, 5),
        random.randrange(-9, -8),
    )
    print(
        [random.randrange(0, 100, 7) for _ in range(5)],
        [random.randrange(100, 0, -3) for _ in range(5)],
    )
    print(
        random.randrange(0, 10, 20),
        random.randrange(3, -20, -4),
        random.randrange(-20, 3, 4),
    )
    print([random.getrandbits(b) for b in (1, 2, 3, 5, 8, 13, 16, 24, 29, 30)])
    print(
        random.choice("abcdef"),
        random.choice([1, 2, 3, 4, 5, 6, 7, 8, 9]),
        random.choice((1, 2)),
        random.choice(range(3, 30, 3)),
        random.choice(b"xyz"),
        random.choice([0]),
        random.choice(bytearray(b"pq")),
    )
    print(
        random.randint(I(1), I(6)),
        random.randint(True, 6),
        random.randrange(I(9)),
        random.getrandbits(I(4)),
        random.randrange(True, 9, I(2)),
    )
    random.random()
    random.uniform(1, 5)
    random.random()
    print([random.randint(1, 100) for _ in range(20)])
    print(
        [random.randint(0, 7) for _ in range(20)], [random.randint(0, 8) for _ in range(20)]
    )
    for b in (31, 32):
        show("bits", lambda: random.getrandbits(b))
    print([random.choice("xy") for _ in range(40)])

random.seed(5)
for label, f in [
    ("randint51", lambda: random.randint(5, 1)),
    ("randintf", lambda: random.randint(1.5, 2)),
    ("randints", lambda: random.randint("a", 2)),
    ("randint1", lambda: random.randint(1)),
    ("randint0", lambda: random.randint()),
    ("randint3", lambda: random.randint(1, 2, 3)),
    ("randintkw", lambda: random.randint(a=1, b=2)),
    ("randintbig", lambda: random.randint(0, 2**31)),
    ("randintbig2", lambda: random.randint(-(2**31) - 1, 0)),
    ("randintNone", lambda: random.randint(None, 3)),
    ("rr0", lambda: random.randrange(0)),
    ("rrneg", lambda: random.randrange(-3)),
    ("rr55", lambda: random.randrange(5, 5)),
    ("rr51", lambda: random.randrange(5, 1)),
    ("rrstep0", lambda: random.randrange(1, 10, 0)),
    ("rrbadstep", lambda: random.randrange(10, 1, 2)),
    ("rrbig", lambda: random.randrange(2**40)),
    ("rrf", lambda: random.randrange(2.0)),
    ("rrfs", lambda: random.randrange(1, 2.0)),
    ("rr4", lambda: random.randrange(1, 2, 3, 4)),
    ("rrnone", lambda: random.randrange(1, None)),
    ("choiceempty", lambda: random.choice([])),
    ("choiceemptys", lambda: random.choice("")),
    ("choiceint", lambda: random.choice(5)),
    ("choicedict", lambda: random.choice({1: 2, 3: 4})),
    ("choiceset", lambda: random.choice({1, 2})),
    ("choice0", lambda: random.choice()),
    ("bits0", lambda: random.getrandbits(0)),
    ("bits33", lambda: random.getrandbits(33)),
    ("bitsneg", lambda: random.getrandbits(-1)),
    ("bitsf", lambda: random.getrandbits(1.0)),
    ("bitsbig", lambda: random.getrandbits(2**40)),
    ("seedf", lambda: random.seed(1.7)),
    ("seeds", lambda: random.seed("x")),
    ("seed2", lambda: random.seed(1, 2)),
    ("after", lambda: [random.randint(1, 6) for _ in range(8)]),
]:
    show(label, f)


def probe(n, fn, a, b):
    if n:
        return probe(n - 1, fn, a, b)
    return fn(a, b)


def deepest(fn, a, b):
    best = -1
    for n in range(0, 400, 1):
        try:
            probe(n, fn, a, b)
            best = n
        except RuntimeError:
            break
    return best


def rr(a, b):
    return random.randrange(a, b)


def ch(a, b):
    return random.choice(a)


def gb(a, b):
    return random.getrandbits(a)


random.seed(3)
print(
    "deep",
    deepest(random.randint, 1, 6),
    deepest(random.randint, True, 6),
    deepest(random.randrange, 2, 9),
    deepest(random.choice, [1, 2], None) if False else 0,
    deepest(rr, 1, 9),
    deepest(ch, [1, 2, 3], 0),
    deepest(gb, 5, 0),
    deepest(gb, True, 0),
)
print([random.randint(1, 6) for _ in range(10)])


def last(f, count, keep):
    out = []
    for i in range(count):
        v = f()
        if i >= count - keep:
            out.append(v)
    return out


for s in (9, 77):
    random.seed(s)
    print(
        last(lambda: random.randrange(5000), 300, 20),
        last(lambda: random.randrange(-3000, 3000), 300, 10),
    )
    print(
        last(lambda: random.choice(range(5000)), 300, 20),
        "".join(last(lambda: random.choice("abcdefghijk"), 500, 40)),
    )
    print(
        last(lambda: random.getrandbits(30), 300, 5),
        last(lambda: random.getrandbits(7), 300, 20),
    )
    print(
        last(lambda: random.randint(0, 2**20), 300, 5),
        last(lambda: random.randrange(0, 2**30), 300, 3),
    )
    print(
        last(
            lambda: random.randint(1, 6)
            + random.randrange(3)
            + random.getrandbits(2)
            + random.choice([1, 2, 3, 4, 5]),
            400,
            30,
        )
    )
    print(
        last(lambda: random.randrange(10**9, 2**31 - 1), 50, 3),
        random.randrange(-(2**31), 2**31 - 1),
    )
    print(
        sum(last(lambda: random.randint(0, 1), 700, 700)),
        sum(last(lambda: random.choice((0, 1)), 700, 700)),
    )
    random.random()
    print(
        last(lambda: random.randrange(1, 100, 2), 100, 10),
        last(lambda: random.randrange(random.randint(1, 300)), 300, 10),
    )
"""


@pytest.mark.parametrize("board", ["v1", "v2"])
def test_numbers_and_errors_are_those_recorded_before_the_fast_paths(
        board: str, monkeypatch: pytest.MonkeyPatch) -> None:
    # one long program, more than the V1 compiles in its heap: the numbers are the subject
    monkeypatch.setenv("UBIT_HEAP_MODEL", "0")
    result = run_program(PROGRAM, board=board, seed=1, timeout=120)
    assert result.status == "ok", result.output
    assert result.text == EXPECTED[board]


class ReferenceDal:
    """microbit-dal's ``microbit_random``, one LFSR step per bit (the firmware's loop)."""

    def __init__(self, seed: int) -> None:
        self.state = seed & 0xFFFFFFFF

    def below(self, n: int) -> int:
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


class ReferenceYasmarang:
    """MicroPython's ``yasmarang`` and ``yasmarang_randbelow``, one word per call."""

    def __init__(self, seed: int) -> None:
        self.pad, self.n, self.d, self.dat = seed & 0xFFFFFFFF, 69, 233, 0

    def word(self) -> int:
        m = 0xFFFFFFFF
        pad = (self.pad + self.dat + self.d * self.n) & m
        pad = ((pad << 3) + (pad >> 29)) & m
        self.pad, self.n = pad, pad | 2
        self.d = (self.d ^ (((pad << 31) + (pad >> 1)) & m)) & m
        self.dat = (self.dat ^ (pad & 0xFF) ^ (self.d >> 8) ^ 1) & 0xFF
        return (pad ^ (self.d << 5) ^ (pad >> 18) ^ (self.dat << 1)) & m

    def below(self, n: int) -> int:
        mask = 1
        while (n & mask) < n:
            mask = (mask << 1) | 1
        while True:
            r = self.word() & mask
            if r < n:
                return r


SIZES = [1, 2, 3, 6, 7, 8, 9, 100, 255, 256, 1000, 1024, 1025, 5000, 2 ** 20 + 3, 2 ** 30,
         2 ** 31 - 1, 2 ** 32]


@pytest.mark.parametrize("seed", [0, 1, 2, 42, 0x80000000, 0xDEADBEEF, 0xFFFFFFFF])
def test_the_generators_draw_as_the_firmwares_loops(seed: int) -> None:
    dal, lfsr = board_random.DalRandom(seed), ReferenceDal(seed)
    yas, reference = board_random.Yasmarang(seed), ReferenceYasmarang(seed)
    for i in range(3000):
        n = SIZES[(i * 7 + seed) % len(SIZES)]
        assert dal.below(n) == lfsr.below(n)
        assert yas.below(n) == reference.below(n)
    assert [yas.word() for _ in range(2000)] == [reference.word() for _ in range(2000)]
    assert [dal.word() for _ in range(500)] == [lfsr.below(1 << 30) for _ in range(500)]


@pytest.mark.parametrize("board", ["v1", "v2"])
def test_fast_and_checked_paths_draw_the_same_numbers(board: str) -> None:
    """Plain ints take the fast path, an int subclass the checked one: same numbers."""

    class Int(int):
        pass

    device, _ = make_device(board)
    fast, slow = board_random.create(device), board_random.create(device)
    for names, wrap in ((fast, int), (slow, Int)):
        names["seed"](7)
        drawn = []
        for i in range(2500):
            n = min(SIZES[i % len(SIZES)], 2 ** 31 - 8)  # within a machine word
            drawn.append(names["randint"](wrap(-5), wrap(n - 6)))
            drawn.append(names["randrange"](wrap(n)))
            drawn.append(names["randrange"](wrap(3), wrap(n + 3)))
            drawn.append(names["getrandbits"](wrap(1 + i % 30)))
            drawn.append(names["choice"](range(n) if wrap is int else _Seq(n)))
        names["drawn"] = drawn
    assert fast["drawn"] == slow["drawn"]


class _Seq:
    """A user-made sequence: not one the fast path takes."""

    def __init__(self, n: int) -> None:
        self.n = n

    def __len__(self) -> int:
        return self.n

    def __getitem__(self, i: int) -> int:
        return i
