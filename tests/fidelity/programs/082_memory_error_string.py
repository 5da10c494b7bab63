# Growing a string until the V1 heap runs out.
s = 'x'
try:
    while True:
        s = s + s
except MemoryError as e:
    print('MemoryError at', len(s))
print('done')
