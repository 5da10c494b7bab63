# Uncaught assertions: with and without a message.
x = 3
try:
    assert x > 5
except AssertionError as e:
    print('caught', repr(e))
try:
    assert x > 5, 'x too small'
except AssertionError as e:
    print('caught', repr(e))
assert x > 1, 'fine'
assert (x >
        10), 'x is %d' % x
