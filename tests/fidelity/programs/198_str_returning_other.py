# __str__ and __repr__ that return something other than a str: printed as str() would.
class Score:
    def __init__(self):
        self.n = 3
    def __str__(self):
        return self.n
class R:
    def __repr__(self):
        return None
class L:
    def __repr__(self):
        return [1, 'a']
s = str(Score())
print(type(s), s)
print("Score:", Score(), "x" + str(Score()))
print(R(), [R()], repr(R()), str(R()), '%s %r' % (R(), R()), '{} {!r}'.format(L(), L()))
print(L(), (L(), 2), {1: L()})
