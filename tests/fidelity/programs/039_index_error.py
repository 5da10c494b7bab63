# Indexing past the end of a list and a string.
items = [10, 20, 30]
try:
    'abc'[5]
except IndexError as e:
    print(e)
try:
    (1,)[3]
except IndexError as e:
    print(e)
for i in range(4):
    print(items[i])
