# A first micro:bit program: a greeting, then a beating heart.
from microbit import *

display.scroll("Hello!")
print("Hello from the micro:bit")
for _ in range(3):
    display.show(Image.HEART)
    sleep(500)
    display.show(Image.HEART_SMALL)
    sleep(500)
