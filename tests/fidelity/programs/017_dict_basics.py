# dict operations, printed in a fixed order (MicroPython dicts are unordered).
d = {'apple': 3, 'pear': 5}
d['fig'] = 1
d['apple'] += 10
print(sorted(d.items()))
print(d['pear'], d.get('kiwi'), d.get('kiwi', 0), 'fig' in d, 'kiwi' not in d, len(d))
print(d.setdefault('kiwi', 7), d.setdefault('fig', 99))
print(d.pop('pear'), d.pop('nope', 'default'))
del d['kiwi']
print(sorted(d.keys()), sorted(d.values()))
d.update({'plum': 2}, lime=4)
print(sorted(d))
e = dict(a=1, b=2)
f = dict([('x', 1), ('y', 2)])
print(sorted(e.items()), sorted(f.items()), dict(), {})
print({1: 'one'}, {'k': [1, 2]}, {(1, 2): 'tuple key'})
total = 0
for k in d:
    total += d[k]
print(total)
print(sorted(dict.fromkeys('abc', 0).items()))
c = d.copy()
c.clear()
print(c, len(d))
