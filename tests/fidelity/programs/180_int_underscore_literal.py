# An underscore in a number literal.
print('start')
x = 1_000
print(x)
