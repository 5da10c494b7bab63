# assert, caught and uncaught.
try:
    assert 1 == 2, 'numbers differ'
except AssertionError as e:
    print('caught:', e, repr(e))
try:
    assert False
except AssertionError as e:
    print('no message:', repr(e))
assert True, 'not raised'
value = -1
assert value >= 0, 'value must not be negative'
