# Float formatting at high precision (the float32 value shows).
print('%.10f' % 0.1)
print('{:.12f}'.format(1 / 3))
print('%.3e' % 123456.789)
print('{:g}'.format(0.0001234))
print(repr(1 / 3), str(2 / 3))
