# Builtins that behave differently from CPython.
def show(label, fn):
    try:
        print(label, repr(fn()))
    except Exception as e:
        print(label, type(e), e)

show('next default', lambda: next(iter([]), 5))
show('pow 3 args', lambda: pow(2, 10, 7))
show('slice()', lambda: slice(1, 2))
show('len keys', lambda: len({1: 2}.keys()))
show('endswith tuple', lambda: 'hello'.endswith(('lo', 'x')))
show('startswith tuple', lambda: 'hello'.startswith(('he', 'x')))
show('bytes + str', lambda: b'ab' + 'x')
show('list < tuple', lambda: [1] < (1,))
show('bytes 300', lambda: bytes([1, 2, 300]))
show('chr big', lambda: chr(0x110000))
show('sum strs', lambda: sum(['a', 'b']))
show('dict from ints', lambda: dict([1, 2]))
show('super()', lambda: super())
show('sorted', lambda: sorted([3, 1, 2], reverse=True))
show('min key', lambda: min(['bb', 'a', 'ccc'], key=len))
show('divmod float', lambda: divmod(7.5, 2))
show('str.count', lambda: 'abc'.count(''))
