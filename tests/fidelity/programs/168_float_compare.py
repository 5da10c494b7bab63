# Float comparisons that depend on precision.
print(0.1 + 0.2 == 0.3)
print(0.1 * 3 == 0.3)
print(1 / 3 + 1 / 3 + 1 / 3 == 1)
print(2 ** 24 == float(2 ** 24 + 1))
print(0.5 + 0.25 == 0.75)
print(abs(0.3 - (0.1 + 0.2)) < 1e-6)
