# How built-in functions, types and iterators print.
def f():
    pass

def g():
    yield 1

print(print, len, f, lambda x: x, g)
print(int, str, list, dict, type, object, range, ValueError, Exception)
print(type(1), type(''), type(1.5), type(True), type(None), type([]), type(()))
print(type({}), type(set()), type(b''), type(bytearray()), type(range(2)))
print(type(f), type(print), type(len), type(iter([])), type(g()), type(type))
print(iter([]), map(abs, [1]), zip([1], [2]), enumerate([1]), reversed([1]), filter(None, []))
print(range(5), range(1, 5, 2), {1: 2}.keys(), {1: 2}.items(), {1: 2}.values())
print(type({}.keys()), type(map(abs, [])), type(zip()), type(enumerate([])))
print(object(), None, True, Ellipsis, frozenset([1]))
print([].append, 'abc'.upper, list.append, staticmethod(f), classmethod(f))
print(repr(print), str(len), repr(int), str(type(1)))
