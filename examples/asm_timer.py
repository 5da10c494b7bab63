"""Assembly timing itself with the chip's timer, then rolling a die with its RNG.

Run it with ``ubit run asm_timer.py`` (V2) or ``--board v1``. ``now_us`` captures the
microsecond timer the firmware keeps running (V1 TIMER0, V2 TIMER1) by writing its
``TASKS_CAPTURE[0]`` and reading ``CC[0]``; a delay loop of 100000 turns takes 4 cycles a
turn, 25 ms at V1's 16 MHz and 6.25 ms at V2's 64 MHz. ``random_byte`` starts the RNG,
waits for ``EVENTS_VALRDY`` and reads ``VALUE``.
"""

import os

from microbit import display

TIMER = 0x40008000 if "nRF51" in os.uname().machine else 0x40009000


@micropython.asm_thumb
def now_us(r0):
    mov(r1, 1)
    str(r1, [r0, 0x40])  # TASKS_CAPTURE[0]
    mov(r2, 0x54)  # CC[0] is at +0x540: too far for an offset
    lsl(r2, r2, 4)
    add(r2, r2, r0)
    ldr(r0, [r2, 0])


@micropython.asm_thumb
def spin(r0):
    label(loop)
    sub(r0, 1)
    bne(loop)


@micropython.asm_thumb
def random_byte():
    mov(r0, 0x40)  # r0 = 0x4000D000: the RNG
    lsl(r0, r0, 24)
    mov(r1, 0xD0)
    lsl(r1, r1, 8)
    add(r0, r0, r1)
    mov(r1, 1)
    str(r1, [r0, 0])  # TASKS_START
    mov(r2, 0x80)  # EVENTS_VALRDY at +0x100
    lsl(r2, r2, 1)
    add(r2, r2, r0)
    mov(r1, 0)
    str(r1, [r2, 0])
    label(wait)
    ldr(r1, [r2, 0])
    cmp(r1, 0)
    beq(wait)
    mov(r1, 0xA1)  # VALUE at +0x508
    lsl(r1, r1, 3)
    add(r1, r1, r0)
    ldr(r3, [r1, 0])
    mov(r1, 1)
    str(r1, [r0, 4])  # TASKS_STOP
    mov(r0, r3)


start = now_us(TIMER)
spin(100000)
print("100000 turns:", now_us(TIMER) - start, "us")
die = random_byte() % 6 + 1
print("die:", die)
display.show(die)
