"""ubit: MicroPython for the BBC micro:bit, offline and complete."""

__version__ = "0.1.0"
