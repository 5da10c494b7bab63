# Comparison methods called by name: only those a user class defines exist.
class A:
    def __lt__(self, o):
        return True
class B:
    pass
for text in ("A().__gt__(A())", "A().__lt__(A())", "B().__lt__(B())", "(1).__lt__(2)", "'a'.__lt__('b')", "A() > A()", "sorted([A(), A()]) and 1", "max([A(), A()]) and 1", "getattr(A(), '__gt__')", "hasattr(A(), '__gt__')", "A.__gt__", "B().__eq__(B())", "[].__lt__([])"):
    try:
        print(text, '->', eval(text))
    except Exception as e:
        print(text, '!!', repr(e))
class P:
    def __init__(self, x):
        self.x = x
    def __eq__(self, o):
        try:
            return super().__eq__(o)
        except Exception as e:
            print(repr(e))
        return self.x == o.x
    def __lt__(self, o):
        return self.x < o.x
    def __gt__(self, o):
        return o.__lt__(self)
class Q(P):
    pass
print(P(1) == P(1), P(2) > P(1), Q(1).__lt__(Q(2)), Q(3).__gt__(Q(2)))
print(hasattr(Q(1), '__le__'), hasattr(Q, '__eq__'), hasattr(P, '__ne__'))
try:
    print(Q(1).__ne__(Q(1)))
except AttributeError as e:
    print(repr(e))
