"""Sound for the virtual micro:bit: sample synthesis, recording and playing what a board played.

``synth`` turns notes into samples and ``effects`` renders V2 sound expressions (sound
effects, built-in sounds); ``frames`` places audio frames on the stream's samples (pure
functions, no board state); ``mixer`` renders a board's published ``audio`` events,
``recorder`` into a WAV file and ``player`` live through the computer's sound output.
"""
