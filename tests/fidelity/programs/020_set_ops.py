# Sets, printed sorted.
a = {1, 2, 3, 4}
b = {3, 4, 5}
print(sorted(a | b), sorted(a & b), sorted(a - b), sorted(a ^ b))
print(sorted(a.union(b)), sorted(a.intersection(b)), sorted(a.difference(b)))
print(3 in a, 9 in a, len(a), {1, 2} <= a, a >= {9}, {1, 2} < {1, 2})
a.add(10)
a.discard(1)
a.remove(2)
print(sorted(a), a.isdisjoint({99}), a.issubset(a | b))
print(sorted(set('hello')), sorted(set([3, 3, 3])), set(), len(frozenset([1, 1, 2])))
try:
    a.remove(42)
except KeyError as e:
    print('KeyError', e)
s = {5}
print(s, s.pop(), s)
print(sorted({x % 3 for x in range(10)}))
