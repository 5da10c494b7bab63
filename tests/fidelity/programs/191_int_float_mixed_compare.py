# Comparing big ints with floats.
print(2 ** 30 == 2.0 ** 30)
print(2 ** 31 + 1 == float(2 ** 31 + 1))
print(10 ** 10 == 1e10)
print(123456789 == 123456789.0)
print(float(123456789))
