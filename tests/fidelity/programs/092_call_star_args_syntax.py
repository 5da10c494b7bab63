# A positional argument after *args is refused by MicroPython 1.9's compiler.
def star(*args):
    return args

print('start')
print(star(*[1, 2], 3))
