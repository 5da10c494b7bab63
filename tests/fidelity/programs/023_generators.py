# Generators: yield, next, StopIteration, send, yield from.
def count_up(n):
    i = 0
    while i < n:
        yield i
        i += 1

def with_result():
    yield 1
    return 'done'

g = with_result()
print(next(g))
try:
    next(g)
except StopIteration as e:
    print('stopped', e.args)
g = count_up(3)
print(next(g), next(g), next(g))
print(list(count_up(5)), sum(count_up(101)))

def echo():
    got = yield 'ready'
    while True:
        got = yield 'got %s' % got

e = echo()
print(next(e), e.send(1), e.send('two'))

def chain(a, b):
    yield from a
    yield from b

print(list(chain([1, 2], 'ab')))

def fib():
    a, b = 0, 1
    while True:
        yield a
        a, b = b, a + b

f = fib()
print([next(f) for _ in range(12)])
