# dict.fromkeys, setdefault and get.
d = dict.fromkeys(['x', 'y'], 0)
print(sorted(d.items()))
print(d.setdefault('z', 5), d.setdefault('x', 9))
print(d.get('q'), d.get('q', 'none'))
print(sorted(d))
