# Sets print in hash-table order on MicroPython.
print({3, 1, 2})
print({'a', 'b', 'c'})
print(set([10, 20, 30, 40, 50]))
