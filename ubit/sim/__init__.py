"""The virtual micro:bit, in two processes; the folders say which one runs the code.

``shared/``       what both sides need: the board protocol (``protocol``), the board
                  specs (V1/V2 as data), radio physics (``rf``), sound synthesis.
``board/``        inside the board process: its plumbing (clock, serial port, control
                  channel, the input table) and ``parts/`` (one small class per part).
``micropython/``  inside the board process: the emulation of the firmware's language
                  and modules over the parts, and the process entry (``firmware``).
``host/``         in the host process: the board handle, fleets, the radio space,
                  audio players and recorders, the front-end-neutral controller.

Imports go one way: ``micropython`` → ``board`` → ``shared``, and ``host`` → ``shared``;
the host never imports the board's code, it speaks the protocol. ``sim`` never imports
``ubit.device``: the virtual board's serial port is a plain byte stream with the shape
``device`` drives. ``tests/test_imports.py`` keeps it so.
"""
