# Binary files.
import os
with open('bin.dat', 'wb') as f:
    print(f)
    f.write(b'\x00\x01\x02abc')
    f.write(bytes([255, 254]))
with open('bin.dat', 'rb') as f:
    data = f.read()
print(data, len(data), data[6], os.size('bin.dat'))
with open('bin.dat', 'rb') as f:
    print(f.read(2), f.read(100), f.read())
with open('text.txt', 'w') as f:
    f.write('caf\xe9')
print(os.size('text.txt'), open('text.txt').read(), open('text.txt', 'rb').read())
print(open('bin.dat', 'rb').name() if hasattr(open('bin.dat', 'rb'), 'name') else 'no name')
