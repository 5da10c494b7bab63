# Single-precision arithmetic accumulates error differently.
print(sum([0.1] * 10))
t = 0.0
for i in range(100):
    t += 0.01
print(t, t == 1.0)
x = 1.0
for i in range(20):
    x = x * 1.1
print(x)
print(16777216.0 + 1.0, 0.1 + 0.7, 1.1 * 1.1)
