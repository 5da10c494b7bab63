# dicts print in hash-table order on MicroPython, not insertion order.
d = {'one': 1, 'two': 2, 'three': 3, 'four': 4}
print(d)
print(list(d.keys()))
squares = {}
for i in range(8):
    squares[i * 3] = i
print(squares)
print({'b': 1, 'a': 2, 'c': 3})
