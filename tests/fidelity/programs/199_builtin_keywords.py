# Keyword arguments to built-in functions that take none (and to those that take some).
for text in ("int('101', base=2)", "round(3.14159, ndigits=2)", "sum([1], start=10)", "str(object=5)",
             "range(0, 10, step=2)", "abs(x=1)", "zip([1], [2], strict=True)", "pow(base=2, exp=3)",
             "sorted([2, 1], reverse=True)", "max([1, 2], key=lambda v: -v)", "print('p', sep='-', end='!\\n')"):
    try:
        print(text, '->', eval(text))
    except TypeError as e:
        print(text, '!!', e)
def int(*a, **k):
    return 'mine'
print(int(base=3))
