"""Sound synthesis, pure functions both processes use.

``synth`` turns notes into samples and ``effects`` renders V2 sound expressions (sound
effects, built-in sounds); ``frames`` places audio frames on the stream's samples;
``sam`` is the speech synthesiser; ``mixer`` renders a board's published ``audio``
events into samples (the host's ``recorder`` and ``player`` use it); ``wav`` reads and
writes WAV files.
"""
