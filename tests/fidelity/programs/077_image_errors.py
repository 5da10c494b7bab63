# Image errors.
from microbit import Image

def attempt(label, fn):
    try:
        print(label, repr(fn()))
    except Exception as e:
        print(label, type(e), e)

attempt('builtin set_pixel', lambda: Image.HEART.set_pixel(0, 0, 5))
attempt('builtin fill', lambda: Image.HEART.fill(1))
attempt('negative index', lambda: Image().get_pixel(-1, 0))
attempt('index too large', lambda: Image().get_pixel(5, 0))
attempt('brightness', lambda: Image().set_pixel(0, 0, 10))
attempt('bad char', lambda: Image('abc'))
attempt('bad size', lambda: Image(2, 2, bytearray(3)))
attempt('not a string', lambda: Image(5))
attempt('different sizes', lambda: Image(2, 2) + Image(3, 3))
attempt('negative multiply', lambda: Image() * -1)
