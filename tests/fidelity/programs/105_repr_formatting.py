# __repr__ and __str__ built with %r, %s and format.
class Point:
    def __init__(self, x, y):
        self.x, self.y = x, y

    def __repr__(self):
        return 'Point(%r, %r)' % (self.x, self.y)

    def __str__(self):
        return '({}, {})'.format(self.x, self.y)

p = Point(1.5, 2 / 3)
print(p, repr(p), [p], str(p), '%s %r' % (p, p))
print(Point(0, -1), Point(1e-3, 1e7))
print('{!r} {!s} {}'.format(p, p, [p, p]))
