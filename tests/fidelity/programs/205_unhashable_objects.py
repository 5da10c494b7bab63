# micro:bit objects, modules, object(), range and exceptions have no hash.
from microbit import *
import music


def t(f):
    try:
        print(f())
    except TypeError as e:
        print('TypeError', e)


class C:
    pass


t(lambda: {button_a: 'left', button_b: 'right'}[button_a])
t(lambda: {pin0: 1})
t(lambda: len({Image.HEART, Image.SAD}))
t(lambda: Image.HEART in {Image.HEART: 1})
t(lambda: hash(display))
t(lambda: hash(accelerometer))
t(lambda: hash(music))
t(lambda: hash(object()))
t(lambda: hash(range(3)))
t(lambda: hash(ValueError('x')))
t(lambda: hash(display.show))
t(lambda: {C(): 1}[1] if False else 'user objects hash')
t(lambda: hash(sleep) != 0 and hash(C) != 0 and hash(ValueError) != 0)
t(lambda: [button_a, button_b].index(button_b))
t(lambda: Image.SAD in [Image.HEART, Image.SAD])
