# Dict order after deleting and re-inserting keys.
d = {'a': 1, 'b': 2, 'c': 3, 'd': 4}
del d['b']
d['e'] = 5
d['b'] = 6
print(d)
d.update({'z': 0, 'a': 9})
print(d)
