# Call depth: the deepest display.scroll at the bottom recursion that runs on the V1.
from microbit import *

def f(n):
    if n == 0:
        display.scroll('ab', delay=10)
        return 0
    return f(n - 1) + 1

def run(d):
    f(d)

best = 0
for d in range(1, 16):
    try:
        run(d)
        best = d
    except RuntimeError:
        break
print('display.scroll at the bottom', best)
