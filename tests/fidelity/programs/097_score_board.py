# Sorting records with equal keys: the firmware's sort is not stable.
scores = [('ann', 12), ('bob', 7), ('cy', 12), ('dee', 3), ('eve', 7), ('fay', 12)]
by_score = sorted(scores, key=lambda s: s[1], reverse=True)
for name, score in by_score:
    print('{:<6}{:>4}'.format(name, score))
names = ['kiwi', 'fig', 'pear', 'plum', 'date', 'lime']
names.sort(key=len)
print(names)
print(sorted(names, key=len, reverse=True))
values = [3, 1.0, 1, 2, True, 0]
values.sort()
print(values)
