# The grid() pattern: rows built with a comprehension and a generator inside join.
from microbit import *

def grid():
    return [''.join(str(display.get_pixel(x, y)) for x in range(5)) for y in range(5)]

display.show(Image.HEART)
for row in grid():
    print(row)
display.set_pixel(0, 0, 5)
print(grid()[0])
