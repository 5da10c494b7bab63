"""Testing micro:bit programs on a virtual board: act on it, let time pass, check what it did.

::

    from ubit.testing import Image, start

    board = start("from microbit import *\\n...", board="v2")   # or start(path="main.py")
    board.run(1000)               # 1000 ms of board time
    board.click("A")              # press A, hold 100 ms, let go
    board.run(500)
    board.assert_shows(Image.HEART)
    assert board.scrolled_text() == "21"
    board.close()

**Start** with ``start(source)`` or ``start(path=...)`` (a ``.py``, a folder whose
``main.py`` runs, or a ``.hex`` for V1, V2 or both), ``board="v1"|"v2"``,
``time_limit_ms`` (board time; default 30 s) and ``seed`` (random numbers; default 1).

**Time** is the board's virtual time and only the test moves it: the board waits at
time 0 until ``run(ms)`` lets exactly ``ms`` pass; ``run()`` goes on until the program
ends or reaches its time limit. An action given between two runs lands at exactly that
instant. *Why stepping and not a script declared up front*: a teacher's test reads as
what a pupil does ("press A, wait, look"), may look before deciding what to do next,
and is still deterministic — the board's process holds its clock at the horizon the
test sets (the protocol's shared-time ``sync``/``grant``, which also keeps several
boards in step), so the same program and the same steps give the same run, every time,
however busy the machine is.

**Act**: ``press``/``release``/``click`` ("A", "B", "logo"); ``touch``/``tap`` (0, 1, 2,
"logo"); ``set_analog(pin, level)``; ``tilt(x, y[, z])`` (mg; gravity kept at 1 g);
``gesture("shake")``; ``set_temperature``, ``set_light``, ``set_sound_level``,
``set_heading``; ``type(text)`` / ``type_line(text)`` (serial; type *before* the run in
which ``input()`` reads it); ``send_radio("hi")`` (a packet arriving now, as
``radio.send`` sends a str; bytes are sent as they are); ``set(input, value)`` for any
input the board protocol describes.

**Look**: ``display()`` (an ``Image``), ``frames()`` ((ms, Image) every change),
``scrolled_text()`` / ``texts()`` (read back from the LEDs with the font, see
``ubit.testing.ledtext``), ``serial()`` / ``serial_lines()``, ``notes()`` (tones with
names and durations), ``sounds()`` / ``spoke()`` (speech, sound effects), ``pin(n)`` /
``pin_writes(n)``, ``neopixels(pin)``, ``radio_sent()`` / ``radio_messages()``,
``files()``, ``status`` and ``error`` (the uncaught error, with its line), ``time_ms``.

**Assert** with messages a pupil can act on: ``assert_shows``, ``assert_showed``,
``assert_scrolled``, ``assert_printed``, ``assert_no_error``. A failing picture is drawn
beside the expected one (``#`` lit, ``.`` off), after the steps that led to it::

    After pressing button A, the display should show Image.HEART; it showed:

    expected    shown
    .#.#.       .....
    #####       .#.#.
    ...

**pytest**: installing ubit registers a plugin (``ubit.testing.plugin``) with a
``board`` fixture running the program under test: ``--ubit-program PATH``, the
``UBIT_PROGRAM`` environment variable, the ``ubit_program`` ini setting, or ``main.py``
beside the test file; ``--ubit-board`` / ``ubit_board``; ``ubit_time_limit_ms``.
See ``docs/testing.md`` for a worked example.
"""

from typing import Any

__all__ = ["Image", "Note", "ProgramError", "RadioPacket", "TestBoard", "start"]


def __getattr__(name: str) -> Any:
    """The API, imported when first used: the pytest plugin (this package's too) loads in
    every pytest run of an environment with ubit, and mustn't slow those down."""
    if name == "Image":
        from ubit.testing.images import Image

        return Image
    if name in __all__:
        from ubit.testing import board

        return getattr(board, name)
    raise AttributeError(f"module 'ubit.testing' has no attribute {name!r}")
