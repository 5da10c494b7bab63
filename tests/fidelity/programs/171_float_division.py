# Float division results.
print(1 / 3 * 3, 2 / 3, 10 / 3)
print(7 / 2, -7 / 2, 7 // 2.0, -7 // 2.0)
print(1 / 7 * 7 == 1)
print(100 / 3 - 33)
print(3.0 % 0.1)
