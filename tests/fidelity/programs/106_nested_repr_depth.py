# print() of an object whose __repr__ calls repr() on others: deep on the V1's C stack.
class Point:
    def __init__(self, x, y):
        self.x, self.y = x, y

    def __repr__(self):
        return 'Point(%r, %r)' % (self.x, self.y)

class Path:
    def __init__(self, *points):
        self.points = list(points)

    def __repr__(self):
        return 'Path(%s)' % ', '.join(repr(p) for p in self.points)

path = Path(Point(1.5, 2 / 3), Point(0, -1))
print(len(path.points))
print(path)
