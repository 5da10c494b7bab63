# V1's NeoPixel has no iterator: loops, list() and unpacking refuse it.
from microbit import *
import neopixel

np = neopixel.NeoPixel(pin0, 3)
np[1] = (1, 2, 3)
print(len(np), np[1], [np[i] for i in range(len(np))])
for s in ["for p in np: print(p)", "print(list(np))", "a, b, c = np", "print(max(np))",
          "print(sorted(np))", "print(iter(np))"]:
    try:
        exec(s)
    except TypeError as e:
        print(s, 'TypeError', e)
