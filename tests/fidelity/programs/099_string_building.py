# Building text from numbers.
parts = []
for i in range(1, 6):
    parts.append(str(i / 4))
print(', '.join(parts))
line = ''
for x in [1, 2.5, -3, 1 / 3, 10 ** 6, 1e7]:
    line = line + str(x) + ';'
print(line)
print('total: ' + str(sum([0.5, 0.25, 0.125])) + ' units')
print('x' * 3 + '-' * 2, 'ab'.upper() + str(None) + str(True))
label = 'value=%s' % 2.50
print(label, len(label))
print(str([1.5, 'a', (2, 3.25)]), str({'k': 0.1}))
