"""List the V1 firmware's built-in qstrs (ubit/sim/shared/romqstrs.py).

MicroPython 1.9.2 keeps its interned strings in flash as ``hash, length, bytes, NUL``
(bbcmicrobit inc/microbit/mpconfigport.h: MICROPY_QSTR_BYTES_IN_HASH 1; py/qstr.c's
hash: 5381, then ``h * 33 ^ byte`` for each byte, the low byte kept, 0 made 1). This scans
the bundled V1 runtime for exactly that shape. A name the program uses that is not among
them is interned on the heap as the program compiles. A one-off tool::

    .venv/bin/python -m tests.fidelity.qstr_derive > ubit/sim/shared/romqstrs.py
"""

from __future__ import annotations

from ubit.hexfile.records import decode
from ubit.hexfile.runtime import bundled_runtime_path
from ubit.hexfile.targets import V1


def qstr_hash(data: bytes) -> int:
    """py/qstr.c's hash, one byte of it."""
    value = 5381
    for byte in data:
        value = (value * 33) ^ byte
    return (value & 0xFF) or 1


def rom_qstrs() -> list[str]:
    """Every ``hash, len, bytes, NUL`` run in the V1 runtime whose hash checks out."""
    image = next(iter(decode(bundled_runtime_path(V1).read_text()).images.values()))
    found: set[str] = set()
    for block in image.blocks:
        data = bytes(block)
        for at in range(len(data) - 3):
            size = data[at + 1]
            end = at + 2 + size
            if size == 0 or end >= len(data) or data[end] != 0:
                continue
            text = data[at + 2:end]
            if all(32 < c < 127 for c in text) and qstr_hash(text) == data[at]:
                found.add(text.decode())
    return sorted(found)


def main() -> None:
    """Print romqstrs.py."""
    names = rom_qstrs()
    print('"""The V1 firmware\'s built-in qstrs: names a program can use without interning')
    print('them on the heap (made by tests/fidelity/qstr_derive.py from the bundled V1')
    print('runtime; do not edit)."""')
    print()
    print("ROM_QSTRS = frozenset(\"\"\"")
    line = ""
    for name in names:
        if len(line) + len(name) + 1 > 90:
            print(line)
            line = ""
        line = f"{line} {name}" if line else name
    print(line)
    print("\"\"\".split())")


if __name__ == "__main__":
    main()
