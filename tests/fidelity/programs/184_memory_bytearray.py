# Running out of the V1 heap: bytearrays.
for n in (2000, 6000, 9000, 12000):
    try:
        b = bytearray(n)
        print(n, 'ok', len(b))
    except MemoryError as e:
        print(n, 'MemoryError', e)
    b = None
