"""Sound for the virtual micro:bit: sample synthesis, and recording what a board played.

``synth`` turns notes into samples (pure functions, no board state);
``recorder`` turns a board's published ``audio`` note events into a WAV file.
"""
