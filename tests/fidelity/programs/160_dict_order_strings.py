# Dict order with string keys.
d = {}
for word in ('apple', 'banana', 'cherry', 'date', 'elder', 'fig', 'grape'):
    d[word] = len(word)
print(d)
for k, v in d.items():
    print(k, v)
