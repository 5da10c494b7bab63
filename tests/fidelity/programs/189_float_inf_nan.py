# Overflowing floats: inf and nan in single precision.
big = 1e38
print(big * 10, -big * 10)
print(float('1e39'), float('1e-50'))
print(big * 10 - big * 10)
print(3.4e38, 1e-45)
