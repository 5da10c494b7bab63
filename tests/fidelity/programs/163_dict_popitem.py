# popitem takes which item, and popitem on an empty dict.
d = {'one': 1, 'two': 2, 'three': 3}
print(d.popitem())
print(d.popitem())
print(d)
d.popitem()
try:
    d.popitem()
except KeyError as e:
    print('KeyError', repr(e))
