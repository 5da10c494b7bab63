# f-strings do not exist in MicroPython 1.9: the whole program is refused.
name = 'micro:bit'
print('before')
print(f'hello {name}')
