# Special methods: operators, comparison, len, indexing, iteration, repr.
class Vec:
    def __init__(self, x, y):
        self.x, self.y = x, y

    def __add__(self, other):
        return Vec(self.x + other.x, self.y + other.y)

    def __sub__(self, other):
        return Vec(self.x - other.x, self.y - other.y)

    def __contains__(self, value):
        return value in (self.x, self.y)

    def __eq__(self, other):
        return self.x == other.x and self.y == other.y

    def __lt__(self, other):
        return (self.x, self.y) < (other.x, other.y)

    def __len__(self):
        return 2

    def __getitem__(self, i):
        return (self.x, self.y)[i]

    def __repr__(self):
        return 'Vec(%r, %r)' % (self.x, self.y)


v = Vec(1, 2) + Vec(3, 4)
print(v, v - Vec(1, 1), len(v), v[0], v[-1], 4 in v, 5 in v)
print(v == Vec(4, 6), v != Vec(4, 6), Vec(1, 1) < Vec(1, 2))
print(sorted([Vec(3, 1), Vec(1, 5), Vec(1, 2)]))
print(list(v), [c for c in v], str(v), repr([v]))
x, y = v
print(x, y)
