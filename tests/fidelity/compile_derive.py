"""Record where the V1 firmware stops compiling programs (tests/sim/test_compile_memory.py).

Each shape is one unit of a program, repeated: ``program(shape, n)`` is main.py with n of
them. For each shape this finds, with the V1 firmware under QEMU, the smallest n whose
main.py fails with MemoryError before printing anything, and the size that MemoryError
asked for when it says one. A one-off tool, run from the repository root (a few minutes)::

    .venv/bin/python -m tests.fidelity.compile_derive            # every shape
    .venv/bin/python -m tests.fidelity.compile_derive func dict  # some

``free_program`` is the other measure recorded there: ``gc.mem_free()`` after 30 % and 70 %
of the failing count of units (``firmware_output(free_program(shape, n))``).
"""

from __future__ import annotations

import sys
from concurrent.futures import ThreadPoolExecutor

HEADER = "print('start')\nfrom microbit import *\nimport music\nx = 3\n"
SHAPES = {
    "func": "def f{i}(a, b):\n    return a + b * {i}\n",
    "assign": "x{i} = {i} + 1\n",
    "samename": "x = {i} + 1\n",
    "longstr": "s = 'a long text number {i:04d}'\n",
    "expr": "y = (x + 2) * 3 - x / 5 + {i} * x - (x % 7)\n",
    "cls": "class C{i}:\n    def m(self):\n        return self.v\n",
    "ifelse": "if x > {i}:\n    y = 1\nelse:\n    y = 2\n",
    "list": "a = [1, 2, 3, 4, 5, {i}]\n",
    "call": "z = abs(x - {i})\n",
    "nested": ("def g{i}(a):\n    for k in range(a):\n        if k % 2:\n"
               "            a = a + k\n    return a\n"),
    "dict": "d{i} = {{'a': 1, 'b': {i}}}\n",
    "scroll": "display.scroll('hi {i}')\n",
    "whileloop": "while x < {i}:\n    x += 1\n",
    "lambda": "f{i} = lambda a: a * {i}\n",
    "listcomp": "l = [k * {i} for k in range(3)]\n",
    "tryexc": "try:\n    y = x // {i}\nexcept ZeroDivisionError:\n    y = 0\n",
    "game": ("def step{i}(p, q):\n    if p > {i}:\n        display.set_pixel(p % 5, q % 5, 9)\n"
             "    elif q < 2:\n        display.show(Image.HAPPY)\n    else:\n        sleep(10)\n"
             "    return p + q\n"),
    "pet": ("class Pet{i}:\n    def __init__(self, name):\n        self.name = name\n"
            "        self.food = {i}\n    def feed(self):\n        self.food += 1\n"
            "        display.show(Image.HAPPY)\n    def hungry(self):\n"
            "        return self.food < 3\n"),
    "menu": ("if button_a.is_pressed() and x == {i}:\n    display.scroll('Score: ' + str(x))\n"
             "    sleep(100)\n"),
    "data": "readings{i} = [accelerometer.get_x(), accelerometer.get_y(), {i}]\n",
    "tune": "def tune{i}():\n    music.play(['C4:4', 'D4:4', 'E{i}:4'])\n    return {i}\n",
}


def program(shape: str, count: int) -> str:
    """main.py with ``count`` units of ``shape``."""
    units = "".join(SHAPES[shape].format(i=i) for i in range(count))
    return f"{HEADER}{units}print('ok')\n"


def free_program(shape: str, count: int) -> str:
    """A program of ``count`` units that prints ``gc.mem_free()`` after them (what compiling
    and running them left held)."""
    units = "".join(SHAPES[shape].format(i=i) for i in range(count))
    return f"from microbit import *\nimport music\nimport gc\nx = 3\n{units}" \
        "gc.collect()\nprint(gc.mem_free())\n"


def firmware_output(source: str) -> str:
    """What the V1 firmware prints running ``source`` as main.py ("HANG" if it never gets
    to the REPL, as after a MemoryError with no room left)."""
    from ubit.device.qemu import DeviceError, run_hex
    from ubit.hexfile import SourceFile
    from ubit.project import build_hex

    hex_text, _ = build_hex([SourceFile("main.py", source.encode())], target="v1")
    try:
        return run_hex(hex_text, timeout=30)
    except DeviceError:
        return "HANG"


def smallest_failing(shape: str) -> tuple[str, int, str]:
    """The smallest count that fails to compile, and what the firmware printed for it."""
    low, high = 0, 16
    while firmware_output(program(shape, high)).startswith("start"):
        low, high = high, high * 2
    printed = ""
    while high - low > 1:
        middle = (low + high) // 2
        out = firmware_output(program(shape, middle))
        if out.startswith("start"):
            low = middle
        else:
            high, printed = middle, out
    return shape, high, printed or firmware_output(program(shape, high))


def main() -> None:
    """Print each shape's smallest failing count and the firmware's words."""
    shapes = sys.argv[1:] or list(SHAPES)
    with ThreadPoolExecutor(2) as pool:  # QEMU is single-threaded: one a core
        for shape, count, printed in pool.map(smallest_failing, shapes):
            print(f"{shape:10} {count:4}  {printed.strip()[:70]}", flush=True)


if __name__ == "__main__":
    main()
