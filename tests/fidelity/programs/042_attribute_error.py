# Attribute errors on None, ints and instances.
class Thing:
    pass

t = Thing()
t.size = 3
print(t.size)
for obj, name in [(None, 'foo'), (5, 'real_part'), ('s', 'push'), ([], 'add'), (t, 'colour')]:
    try:
        getattr(obj, name)
    except AttributeError as e:
        print(e)
print(t.weight)
