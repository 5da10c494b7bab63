# TypeError messages of operators between mismatched types.
def check(expr):
    try:
        print(expr, '->', eval(expr))
    except TypeError as e:
        print(expr, 'TypeError:', e)

for expr in ['1 / "a"', '1 % "a"', '2 ** "a"', '1 & "a"', '1 << "a"', '7 // "a"',
             '"ab" * 2.5', '[1] - [2]', '1 > "a"', '1 <= "a"', 'None < None',
             '~1.5', '-"x"', '{1} + {2}', '(1,) * (2,)', '"a" < 1', '[1] < 5']:
    check(expr)
x = 1
try:
    x += 'a'
except TypeError as e:
    print('x += "a":', e)
s = 'a'
try:
    s += 1
except TypeError as e:
    print('s += 1:', e)
