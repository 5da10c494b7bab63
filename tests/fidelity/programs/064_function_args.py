# Default, variadic, keyword and keyword-only arguments.
def f(a, b=2, *args, c, d=4, **kw):
    return a, b, args, c, d, sorted(kw.items())

print(f(1, c=3))
print(f(1, 2, 3, 4, c=5, e=6, f=7))

def defaults(x, acc=[]):
    acc.append(x)
    return acc

print(defaults(1), defaults(2), defaults(3, []))

def star(*args):
    return len(args), args

print(star(), star(1), star(*'abc'), star(0, *[1, 2]))
print(*[1, 2, 3], sep='-', end='!\n')
print('a', 'b', sep='')
print('no newline', end='')
print(' then newline')
print()
print(sep='x')
