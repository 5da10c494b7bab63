# Integer arithmetic, including floor division and modulo of negatives.
a, b = 17, 5
print(a + b, a - b, a * b, a // b, a % b, a ** 2)
print(-a // b, -a % b, a // -b, a % -b)
print(divmod(a, b), divmod(-a, b), divmod(a, -b))
print(abs(-42), -(-3), +7)
print(True + True, True * 10, False - 1)
print(2 ** 10, 2 ** 0, 0 ** 0, (-2) ** 3)
print(7 / 2, 8 / 2, -7 / 2)
print(1 < 2 < 3, 3 > 2 > 5, 1 == 1.0, 2 != 2)
x = 10
x += 5
x -= 3
x *= 2
x //= 5
x **= 3
x %= 7
print(x)
print(max(3, 9, 4), min(3, 9, 4), sum(range(101)))
