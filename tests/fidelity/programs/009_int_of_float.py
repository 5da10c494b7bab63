# int() of big floats shows single-precision storage.
print(int(1e10))
print(int(1e6), int(2.5e9), int(-1e8))
print(int(123456789.0), int(16777217.0))
print(int(0.1 * 3 * 10), int(2.9999))
print(float(2 ** 24 + 1))
