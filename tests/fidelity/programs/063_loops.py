# for/while with break, continue and else.
for i in range(5):
    if i == 1:
        continue
    if i == 4:
        break
    print('for', i)
else:
    print('no break')
for i in range(2):
    pass
else:
    print('else after full loop', i)
n = 0
while n < 10:
    n += 3
else:
    print('while else', n)
for x, y in [(1, 2), (3, 4)]:
    print(x * y, end=' ')
print()
for i in range(3):
    for j in range(3):
        if j > i:
            break
        print(i, j, sep=':', end=' ')
print()
print(list(range(10, 0, -3)), list(range(0)), len(range(0, 100, 7)), range(5)[2])
