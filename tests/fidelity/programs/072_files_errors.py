# Filesystem errors.
import os

def attempt(label, fn):
    try:
        print(label, repr(fn()))
    except Exception as e:
        print(label, type(e), e)

attempt('open missing', lambda: open('nope.txt'))
attempt('remove missing', lambda: os.remove('nope.txt'))
attempt('size missing', lambda: os.size('nope.txt'))
for mode in ['a', 'r+', 'w+', 'x', 'rw']:
    attempt('mode ' + mode, lambda: open('m.txt', mode))
f = open('t.txt', 'w')
print(f)
f.write('hi')
f.close()
attempt('write closed', lambda: f.write('x'))
attempt('read closed', lambda: f.read())
g = open('t.txt')
attempt('iterate', lambda: [line for line in g])
attempt('readlines', lambda: g.readlines())
attempt('write on read file', lambda: g.write('x'))
g.close()
attempt('listdir arg', lambda: os.listdir(''))
print(sorted(os.listdir()))
