# Ints stored into a bytearray keep their low 8 bits (big ones too); other types refuse.
b = bytearray(3)
for v in (257, -1, 2**40 + 5, -(2**40) - 1, True, 1.5, 'a', None):
    try:
        b[0] = v
        print(b)
    except Exception as e:
        print(repr(e))
b[-1] = 511
print(b)
b[1] += 300
print(b)
rows = [bytearray(2)]
rows[0][0] = 258
print(rows)
class Strip:
    pass
s = Strip()
s.buf = bytearray(2)
s.buf[1] = 1000
print(s.buf)
def fill(buf, value):
    for i in range(len(buf)):
        buf[i] = value * (i + 1)
fill(b, 200)
print(b)
c = bytearray(0)
for v in (300, -2, 2**31, 2**40 + 7):
    c.append(v)
print(c)
print(bytearray([256, -256, 2**33 + 1]))
try:
    b[3] = 1
except IndexError as e:
    print(repr(e))
L = [0, 0]
L[0] = 300
print(L)
