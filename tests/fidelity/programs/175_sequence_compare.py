# Comparisons of tuples and lists.
def show(label, fn):
    try:
        print(label, fn())
    except TypeError as e:
        print(label, 'TypeError', e)

show('tuples', lambda: (1, 2) < (1, 3))
show('prefix', lambda: [1, 2] < [1, 2, 0])
show('tuple == list', lambda: (1,) == [1])
show('list < tuple', lambda: [1, 2] < (1, 3))
show('tuple > list', lambda: (1, 2) > [1, 3])
show('nested', lambda: [(1, 'a'), (1, 'b')] < [(1, 'b')])
show('mixed items', lambda: (1, 'a') < (1, 2))
show('sort pairs', lambda: sorted([(2, 'b'), (1, 'z'), (2, 'a')]))
