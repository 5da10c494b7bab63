# dir() lists a type's locals table in table order, modules their globals table; nothing else
from microbit import *
import music, os, speech, gc
def g():
    yield 1
class A:
    x = 1
    def f(self):
        pass
class B(A):
    def __init__(self):
        self.z = 3
for o in [[], (), {}, set(), frozenset(), 'ab', b'', bytearray(1), 5, 1.5, True, None,
          range(3), print, len, g, g(), iter([]), zip(), object(), A, B(), BaseException(),
          ValueError('x'), Exception, list, dict, bool]:
    print(dir(o))
    gc.collect()
for o in [display, Image.HEART, Image, pin0, pin3, pin5, button_a, accelerometer, compass,
          i2c, uart, spi, display.show]:
    print(dir(o))
    gc.collect()
for m in [music, os, speech]:
    print(dir(m))
    gc.collect()
