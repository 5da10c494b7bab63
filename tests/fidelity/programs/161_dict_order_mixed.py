# Dict order with mixed keys.
d = {'x': 1, 2: 'two', (1, 2): 'pair', 3.5: 'float', None: 0, True: 'yes'}
print(d)
print(list(d.keys()))
