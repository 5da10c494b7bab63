# int() of large floats (float32 on the V1).
for x in (1e6, 1e7, 123456789.0, 1e10, 2.0 ** 40, 1e15, -3.99, 0.1 * 3 * 10):
    print(int(x))
