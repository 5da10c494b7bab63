# Float sums: single precision on the V1.
total = 0.0
for _ in range(10):
    total += 0.1
print(total, total == 1.0)
print(sum([0.1] * 100))
print(0.1 + 0.7, 1.1 * 3)
print(1e8 + 1, 1e8 + 1 == 1e8)
print(16777216.0 + 1)
