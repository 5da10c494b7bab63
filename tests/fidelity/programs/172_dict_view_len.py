# len() of dict views, and what still works with them.
d = {'a': 1, 'b': 2}
for name, view in (('keys', d.keys()), ('values', d.values()), ('items', d.items())):
    try:
        print(name, len(view))
    except TypeError as e:
        print(name, 'TypeError', e)
print(len(list(d.keys())), 'a' in d.keys(), sorted(d.values()))
