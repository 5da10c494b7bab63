# utime.sleep_ms/sleep_us/ticks_add take ints (bools too); sleep takes any number.
import utime


def t(s):
    try:
        print(s, eval(s))
    except TypeError as e:
        print(s, 'TypeError', e)


for s in ["utime.sleep_ms(100 / 2)", "utime.sleep_us(2.5)", "utime.sleep_ms(True)",
          "utime.sleep_ms('5')", "utime.sleep_ms(None)", "utime.sleep_us([1])",
          "utime.sleep(True)", "utime.sleep(0.01)", "utime.sleep('1')",
          "utime.ticks_add(1, 1.5)", "utime.ticks_add(5, True)", "utime.sleep_ms(-5)"]:
    t(s)
