"""The ``microbit`` module's parts, one area per file; each adds its names with ``contribute``.

The user-facing objects are a facade over the board's parts: they check
arguments, raise the firmware's errors and delegate to the part.
"""
