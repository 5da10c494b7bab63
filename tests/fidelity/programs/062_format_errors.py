# Formatting errors.
def fmt(label, fn):
    try:
        print(label, repr(fn()))
    except Exception as e:
        print(label, type(e), e)

fmt('too few', lambda: '%s-%s' % ('a',))
fmt('too many', lambda: '%s' % (1, 2))
fmt('d of str', lambda: '%d' % 'x')
fmt('f of str', lambda: '%f' % 'x')
fmt('missing positional', lambda: '{} {}'.format(1))
fmt('d of float', lambda: '{:d}'.format(1.5))
fmt('bad key', lambda: '{x}'.format(y=1))
fmt('unknown code', lambda: '%y' % 1)
fmt('incomplete', lambda: '%' % ())
fmt('index field', lambda: '{0[1]}'.format([7, 8]))
fmt('attribute field', lambda: '{0.real}'.format(5))
