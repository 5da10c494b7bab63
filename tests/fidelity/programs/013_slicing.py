# Slicing lists, tuples and strings (no step on str/bytes/tuple in MicroPython).
a = list(range(10))
print(a[2:5], a[:3], a[7:], a[-3:], a[:-7], a[::2], a[::-1], a[8:2:-2])
print(a[100:], a[-100:2], a[5:5])
b = a[:]
b[2:5] = ['x', 'y']
print(b)
del b[:3]
print(b)
b[1:1] = [0, 0]
print(b)
s = 'micro:bit'
print(s[1:4], s[-3:], s[:0], s[6:100], s[-1], s[0])
t = (1, 2, 3, 4)
print(t[1:3], t[-2:])
print(b'bytes'[1:3], bytearray(b'abc')[1:])
for what, seq in (('list', [1, 2, 3]), ('str', 'abc'), ('tuple', (1, 2, 3)), ('bytes', b'abc')):
    try:
        print(what, seq[::-1])
    except NotImplementedError as e:
        print(what, 'error:', e)
