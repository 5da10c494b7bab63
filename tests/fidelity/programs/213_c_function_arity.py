# Too many or too few arguments to C functions with optional ones: mp_arg_check_num's words
import math, random


def t(f):
    try:
        print(f())
    except Exception as e:
        print(repr(e))


t(lambda: math.log(1, 2, 3))
t(lambda: math.log())
t(lambda: math.sqrt())
t(lambda: math.sin(1, 2))
t(lambda: random.seed(1, 2))
t(lambda: random.randrange(1, 2, 3, 4))
t(lambda: random.randrange())
t(lambda: random.randint(1))
t(lambda: random.uniform(1))
t(lambda: random.random(1))
