# Call depth: the deepest grid() at the bottom recursion that runs on the V1.
from microbit import *

def grid():
    return [''.join(str(display.get_pixel(x, y)) for x in range(5)) for y in range(5)]

def f(n):
    if n == 0:
        return grid()
    return f(n - 1)

display.show(Image.HEART)

def run(d):
    f(d)

best = 0
for d in range(1, 16):
    try:
        run(d)
        best = d
    except RuntimeError:
        break
print('grid() at the bottom', best)
