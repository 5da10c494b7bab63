"""The virtual micro:bit: board model, clock, device runtime (in a child process) and host handle.

``sim`` never imports ``ubit.device``: the virtual board's serial port is a plain
byte stream with the shape ``device`` drives.
"""
