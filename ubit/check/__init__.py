"""Code intelligence for micro:bit MicroPython: the API's stubs, checks, completion and tidy.

Above ``hexfile`` (a project's size on the board) and below the editor and the command;
it never runs a board (``sim``) or talks to one (``device``).
"""
