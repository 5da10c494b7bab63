"""Driving virtual micro:bits from tests: the API teachers' tests use, and marking.

Over the host side of the virtual board (``ubit.sim.host``); never the board process.
"""
