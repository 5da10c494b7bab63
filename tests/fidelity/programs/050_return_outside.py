# return outside a function is a compile error.
print('start')
if True:
    return 5
