# Module functions the firmware makes in C take no keyword arguments (mp_arg_check_num)
import math, random, os, gc, struct, utime, music


def t(f):
    try:
        print(f())
    except Exception as e:
        print(repr(e))


t(lambda: math.sqrt(x=4))
t(lambda: math.log(8, base=2))
t(lambda: math.pow(x=2, y=3))
t(lambda: math.sin(x=1))
t(lambda: math.frexp(x=1))
t(lambda: math.log(8, 2, 3, base=1))
t(lambda: random.uniform(a=1, b=2))
t(lambda: random.seed(a=1))
t(lambda: random.random(x=1))
t(lambda: os.listdir(x=1))
t(lambda: os.size(name='zz'))
t(lambda: gc.collect(x=1))
t(lambda: gc.mem_free(x=1))
t(lambda: struct.calcsize(fmt='i'))
t(lambda: struct.pack('i', v=1))
t(lambda: utime.sleep_ms(ms=1))
t(lambda: utime.ticks_diff(a=1, b=2))
t(lambda: utime.ticks_ms(x=1))
t(lambda: music.get_tempo(x=1))
t(lambda: music.reset(x=1))
