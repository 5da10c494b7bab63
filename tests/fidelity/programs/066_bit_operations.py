# Bitwise operations on small, negative and big ints.
a, b = 0b1100, 0b1010
print(a & b, a | b, a ^ b, ~a, a << 3, a >> 2)
print(-8 >> 1, -1 << 4, -6 & 0xFF, -6 | 1, ~(-1), 5 ^ -1)
print(1 << 40, (1 << 40) >> 38, (2 ** 70 + 5) & 0xF, -(2 ** 70) >> 68)
print(bin(0b1010 << 2), hex(0xAB ^ 0xFF), 0xFF & ~0x0F)
flags = 0
for bit in (0, 3, 5):
    flags |= 1 << bit
print(flags, [i for i in range(8) if flags & (1 << i)])
