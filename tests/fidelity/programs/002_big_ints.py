# Arbitrary-precision integers.
print(2 ** 100)
print(-2 ** 63, 2 ** 64 // 3)
f = 1
for i in range(1, 31):
    f *= i
print(f)
print(f // 12345678901, f % 987654321)
print(divmod(2 ** 70, 7))
n = int('1' * 30)
print(n * 3, n - 10 ** 29)
print(hex(2 ** 80), bin(2 ** 40))
print((2 ** 90) >> 45, 1 << 70, (2 ** 70) & (2 ** 70 - 1), (2 ** 70) | 1)
print(-(2 ** 65) // 3, -(2 ** 65) % 3)
print(len(str(2 ** 200)), str(3 ** 50))
print(2 ** 64 == 18446744073709551616, 2 ** 64 > 2 ** 63)
print(abs(-10 ** 25), 10 ** 25 // 10 ** 24)
