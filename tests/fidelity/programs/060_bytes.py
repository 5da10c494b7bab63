# bytes and bytearray.
b = b'hello'
print(b[0], b[-1], b[1:3], len(b), b'l' in b, 104 in b)
print(list(b), bytes([72, 105]), bytes(3), bytes('ab', 'utf8'), bytes(range(3)))
print(b + b' world', b * 2, b.upper(), b.find(b'l'), b.split(b'l'), b.replace(b'l', b'L'))
ba = bytearray(b'abc')
ba[0] = 65
ba.append(100)
ba.extend(b'ef')
print(ba, len(ba), ba[1], bytes(ba))
print(b == b'hello', b < b'help', bytearray(2), bytes(bytearray(b'x')))
print(int.from_bytes(b'\x01\x02', 'big'), (258).to_bytes(2, 'little'))
print(str(b, 'utf8'), b'A'[0] + 1, chr(b[0]))
