# microbit.sleep: an int (bool too) or any number read as a float; no keywords.
from microbit import *


def t(s):
    try:
        print(s, eval(s))
    except TypeError as e:
        print(s, 'TypeError', e)


for s in ["sleep(True)", "sleep(2.5)", "sleep(-3)", "sleep('100')", "sleep(None)",
          "sleep([1])", "sleep(ms=5)", "sleep()", "sleep(1, 2)", "running_time(1)",
          "running_time(x=1)"]:
    t(s)
