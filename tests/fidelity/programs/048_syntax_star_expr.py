# Unpacking in a list display is not in MicroPython 1.9.
a = [1, 2]
print('start')
b = [*a, 9]
print(b)
