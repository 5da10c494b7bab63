# An error inside a lambda called by map().
values = ['1', '2', 'x']
print(list(map(lambda s: int(s) * 2, values[:2])))
doubled = list(map(
    lambda s: int(s) * 2,
    values,
))
