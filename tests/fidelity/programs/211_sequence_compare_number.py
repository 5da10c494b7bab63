# A tuple or list ordered against a number: the V1 says False (the number on the right).
values = (1, -2, 1023)
print(values > 300, values < 300, [1, 2] >= 0)
try:
    print(300 < values)
except TypeError as e:
    print(repr(e))
