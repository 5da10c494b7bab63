"""MicroPython's inline Thumb assembler (``@micropython.asm_thumb``) on the virtual board.

``assembler`` turns a decorated function's body into machine code at compile time, with
the firmware's errors; ``decorators`` is the compiler's pass over ``@micropython.*``;
``machine`` runs the code on an emulated Cortex-M (unicorn) with the board's GPIO behind it.
"""
