# Running out of the V1 heap: lists of growing size.
for n in (1000, 2000, 3000, 5000, 10000):
    try:
        a = [0] * n
        print(n, 'ok', len(a))
    except MemoryError as e:
        print(n, 'MemoryError', e)
    a = None
