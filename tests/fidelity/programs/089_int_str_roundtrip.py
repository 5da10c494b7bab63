# Converting between numbers and text, with big values.
n = 2 ** 100 + 12345
s = str(n)
print(s, len(s), int(s) == n, int(s[:10]))
print(int('-' + '9' * 25) + 1)
print(str(-0), str(7), '%d' % (2 ** 70), '{}'.format(-2 ** 65))
print(hex(2 ** 64 - 1), oct(2 ** 30), bin(255))
print(int('ffffffffffffffffff', 16), int('1' * 64, 2))
print(10 ** 20 // 7, 10 ** 20 % 7, -(10 ** 20) // 7, pow(3, 40), pow(2, -1))
