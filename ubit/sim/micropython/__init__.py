"""MicroPython as the micro:bit firmware runs it, emulated over the board's parts."""
