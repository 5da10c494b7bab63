# repr and str of exception objects.
print(repr(ValueError('x')), repr(ValueError()), repr(ValueError('a', 'b')))
print(repr(KeyError('k')), str(KeyError('k')), repr(KeyError(1)))
print(str(ValueError()), '[%s]' % ValueError(), str(ValueError('a', 2)))
print(ValueError('shown'), [ValueError('in list')], (IndexError(3),))
print(repr(OSError(2)), OSError(2), repr(StopIteration()), repr(Exception('e')))
print(ValueError('x').args, ValueError().args, type(ValueError('x')))
try:
    int('nope')
except ValueError as e:
    print(repr(e), e.args)
try:
    {}['gone']
except KeyError as e:
    print(repr(e), str(e), e.args)
