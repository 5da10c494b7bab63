# User classes on the V1 support only some operator methods.
class Num:
    def __init__(self, v):
        self.v = v

    def __add__(self, other):
        return Num(self.v + other)

    def __mul__(self, other):
        return Num(self.v * other)

    def __radd__(self, other):
        return Num(self.v + other)

    def __neg__(self):
        return Num(-self.v)

    def __truediv__(self, other):
        return Num(self.v / other)

    def __repr__(self):
        return 'Num(%r)' % self.v

n = Num(2)
for label, op in [('n + 1', lambda: n + 1), ('1 + n', lambda: 1 + n), ('n * 3', lambda: n * 3),
                  ('-n', lambda: -n), ('n / 2', lambda: n / 2), ('n.__mul__(3)', lambda: n.__mul__(3))]:
    try:
        print(label, op())
    except TypeError as e:
        print(label, 'TypeError:', e)
try:
    n += 1
    print('n += 1', n)
except TypeError as e:
    print('n += 1 TypeError:', e)
