# scale(): an empty range, results past the int range, argument errors.
from microbit import *


def t(s):
    try:
        print(s, eval(s))
    except (TypeError, ValueError) as e:
        print(s, repr(e))


for s in ["scale(0, from_=(0, 0), to=(0, 100))", "scale(5, from_=(0, 0), to=(0, 100))",
          "scale(-5, from_=(0, 0), to=(0, 100))", "scale(5, from_=(3, 3), to=(10, 20.0))",
          "scale(10**12, from_=(0, 10), to=(0, 100))", "scale(-10**12, from_=(0, 10), to=(0, 100))",
          "scale(5, from_=(0, 10), to=(0, 10**12))", "scale(5, (0, 10))",
          "scale(5, (0, 10), (0, 100), 1)", "scale(5, from_=5, to=(0, 100))",
          "scale(v=5, from_=(0, 10), to=(0, 100))", "scale(5, frm=(0, 10), to=(0, 100))",
          "scale(5, (0, 10), (0, 100), x=1)", "scale('5', from_=(0, 10), to=(0, 100))",
          "scale(5, from_=(0, 10), to=(0, '100'))", "scale(None, from_=(0, 10), to=(0, 100))",
          "scale(5, from_=[0, 10], to=[0, 100])", "scale(2.5, from_=(0, 10), to=(0, 3))",
          "scale(7, from_=(0, 10), to=(0, 3))"]:
    t(s)
