# An error in a while condition: which line the traceback names.
i = 0
while 10 // (3 - i):
    i += 1
    print('step', i)
    x = i * 2
print('done')
