"""Assembly on the micro:bit V1: a light sweeping across the LED matrix, then a sum.

Run it with ``ubit run asm_sweep.py --board v1``. The first function writes the nRF51's
GPIO registers directly: the three matrix rows go high, then each of the nine columns in
turn goes low for about 50 ms (a counted delay loop at 16 MHz) and high again, so one
column at a time lights. The second adds the numbers 1..n in a register loop.
"""

from microbit import display


@micropython.asm_thumb
def sweep():
    mov(r0, 0x50)  # r0 = 0x50000500: the GPIO's registers
    lsl(r0, r0, 16)
    add(r0, 0x05)
    lsl(r0, r0, 8)
    mov(r1, 0b111)  # the rows, P0.13-P0.15: high
    lsl(r1, r1, 13)
    str(r1, [r0, 8])  # OUTSET
    mov(r1, 1 << 4)  # the first column, P0.4
    mov(r2, 9)
    label(column)
    str(r1, [r0, 12])  # OUTCLR: this column's LEDs light
    mov(r3, 100)  # 100 << 11 turns of 4 cycles: 51.2 ms
    lsl(r3, r3, 11)
    label(wait)
    sub(r3, 1)
    bne(wait)
    str(r1, [r0, 8])  # OUTSET: dark again
    lsl(r1, r1, 1)
    sub(r2, 1)
    bne(column)


@micropython.asm_thumb
def total(r0):
    mov(r1, 0)
    label(loop)
    add(r1, r1, r0)
    sub(r0, 1)
    bne(loop)
    mov(r0, r1)


for _ in range(2):
    sweep()
print("1 + 2 + ... + 100 =", total(100))
display.scroll(total(10), delay=60)
