# Arithmetic with floats.
a, b = 7.5, 2.0
print(a + b, a - b, a * b, a / b, a // b, a % b, a ** b)
print(-a // b, -a % b, divmod(a, b), divmod(-7.5, 2))
print(abs(-2.5), -a, max(1.5, 2), min(1.5, 2))
print(1.5 + 1, 3 * 0.5, 10 / 4, 2 ** -1, 2 ** 0.5)
print(0.1 * 3, 1.1 + 2.2, 3.3 - 1.1)
print(1.5 == 1.5, 0.1 + 0.2 == 0.3)
print(float(10 ** 6) / 3, 1 / 3 * 3)
print(7 // 2.0, 7 % 2.5, -7 % 2.5)
c = 0.0
for i in range(10):
    c += 0.25
print(c, c == 2.5)
