# Writing, reading and listing files.
import os
with open('data.txt', 'w') as f:
    n = f.write('line one\nline two\n')
print('wrote', n)
with open('data.txt') as f:
    print(repr(f.read()))
with open('data.txt', 'r') as f:
    print(repr(f.readline()), repr(f.readline()), repr(f.readline()))
with open('data.txt') as f:
    print(repr(f.read(4)), repr(f.read(4)))
print(sorted(os.listdir()), os.size('data.txt'))
f = open('second.txt', 'w')
f.write('abc')
f.close()
print(sorted(os.listdir()))
os.remove('data.txt')
print(sorted(os.listdir()))
with open('second.txt', 'w') as f:
    f.write('replaced')
print(open('second.txt').read(), os.size('second.txt'))
