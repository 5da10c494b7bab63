# dict errors: KeyError messages and unhashable keys.
d = {'a': 1}
for key in ['b', 1, (1, 2)]:
    try:
        d[key]
    except KeyError as e:
        print('KeyError', e, repr(e), e.args)
try:
    d[[1]] = 2
except TypeError as e:
    print(e)
try:
    {}.pop('x')
except KeyError as e:
    print('pop', e)
try:
    {} + {}
except TypeError as e:
    print(e)
print(d['missing'])
