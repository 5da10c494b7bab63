# Running out of the V1 heap: a comprehension's result.
try:
    squares = [i * i for i in range(5000)]
    print('ok', len(squares))
except MemoryError as e:
    print('MemoryError', e)
squares = None
small = [i * i for i in range(100)]
print(len(small), small[-1])
