# Printing nested data.
grid = [[0.5 * r * c for c in range(3)] for r in range(3)]
print(grid)
record = ('sensor', 3, [1.25, 2.5], {'unit': 'C'}, None, True, b'\x01')
print(record)
print([record, ('quote"s', "it's")])
print({(1, 2): [3.0, 4.5]}, [[], [[]], ()], ((),), (1,))
print(list(zip([1.5, 2.5], ['a', 'b'])), list(enumerate([0.1, 0.2])))
print([x / 10 for x in range(5)], tuple(range(3)))
