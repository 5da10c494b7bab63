# Conditional expressions, identity, chained comparison, del, global.
x = 5
print('big' if x > 3 else 'small', x if x else 'zero', 0 or 'fallback', 3 and 4, None or 0)
a = [1, 2]
b = a
c = [1, 2]
print(a is b, a is c, a == c, a is not c, None is None)
print(1 < x <= 5, 1 < x < 5, not x, not 0)
del a[0]
print(b)
n = 3
del n
try:
    print(n)
except NameError as e:
    print('deleted:', e)
counter = 0

def bump():
    global counter
    counter += 1

for _ in range(3):
    bump()
print(counter)
print('done')
