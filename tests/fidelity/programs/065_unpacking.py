# Tuple unpacking, swapping and starred assignment.
a, b = 1, 2
a, b = b, a
print(a, b)
(x, y), z = (3, 4), 5
print(x, y, z)
first, *rest = [1, 2, 3, 4]
*init, last = 'abc'
head, *mid, tail = range(5)
print(first, rest, init, last, head, mid, tail)
for i, (k, v) in enumerate([('a', 1), ('b', 2)]):
    print(i, k, v)
for case in ['a, b = [1, 2, 3]', 'a, b = [1]', 'a, b = 5']:
    try:
        exec(case)
    except Exception as e:
        print(case, '->', type(e), e)
