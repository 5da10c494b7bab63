# An uncaught MemoryError.
print('start')
big = [0] * 8000
print(len(big))
