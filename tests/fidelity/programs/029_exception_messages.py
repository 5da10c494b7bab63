# The messages of common built-in errors.
def check(expr):
    try:
        eval(expr)
        print(expr, 'ok')
    except Exception as e:
        print(expr, '->', type(e), e)

for expr in ['undefined_name', "1 + 'a'", "'a' + 1", "'a' * 'b'", '[1] + (1,)',
             'None + 1', "'x' - 'y'", "-'a'", 'len(5)', '5()', "None()", 'iter(5)',
             'abs("a")', 'int(None)', 'float([1])', "int('x')", "int('12a')",
             "int('9', 8)", "float('abc')", "float('')", '1 / 0', '1 // 0', '1 % 0',
             '1.0 / 0', "ord('ab')", 'chr(-1)', "hash([])", "{[1]: 2}", "(1).foo",
             "None.bar", "'a'.foo", "int.foo", "max()", "min([])", "range(1.5)"]:
    check(expr)
