# Running out of the V1 heap: big strings.
for n in (1000, 4000, 8000, 20000):
    try:
        s = 'x' * n
        print(n, 'ok', len(s))
    except MemoryError as e:
        print(n, 'MemoryError', e)
    s = None
