# hash() of small values.
print(hash(1), hash(0), hash(-1), hash(True))
print(hash(1.0) == hash(1))
print(hash((1, 2)) == hash((1, 2)))
try:
    hash([1])
except TypeError as e:
    print('TypeError', e)
