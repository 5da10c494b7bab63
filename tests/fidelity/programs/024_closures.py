# Closures, nonlocal, and late binding.
def make_counter():
    count = 0
    def inc(step=1):
        nonlocal count
        count += step
        return count
    return inc

c1 = make_counter()
c2 = make_counter()
print(c1(), c1(), c1(5), c2())
adders = [lambda x, n=n: x + n for n in range(3)]
print([f(10) for f in adders])
late = [lambda x: x + n for n in range(3)]
print([f(10) for f in late])

def outer():
    msg = 'hi'
    def inner():
        return msg + '!'
    msg = 'bye'
    return inner

print(outer()())
total = 0

def add(n):
    global total
    total += n

add(3)
add(4)
print(total)
compose = lambda f, g: lambda x: f(g(x))
print(compose(str, abs)(-5), (lambda *a, **k: (a, sorted(k)))(1, 2, z=3))
