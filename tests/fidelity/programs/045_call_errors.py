# Calling functions with the wrong arguments.
def two(a, b):
    return a + b

def kw(a, *, b):
    return a, b

for call in [lambda: two(1), lambda: two(1, 2, 3), lambda: two(1, c=2),
             lambda: kw(1, 2), lambda: kw(1), lambda: two(*[1, 2]),
             lambda: two(**{'a': 1, 'b': 2}), lambda: len(), lambda: len(1, 2),
             lambda: abs(1, 2), lambda: int('1', 2, 3)]:
    try:
        print(call())
    except TypeError as e:
        print('TypeError:', e)
print(two(1, 2, 3))
