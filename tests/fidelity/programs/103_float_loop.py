# Floats in a loop: division results, formatting, accumulated values.
for i in range(1, 15):
    print(i, i / 7, '%.3f' % (i / 7), '{:.2e}'.format(i / 7), round(i / 7, 3))
for n in (3, 7, 9, 11, 13):
    print(1 / n, 1 / n ** 2, 1 / n ** 3, n ** 0.5, n ** -0.5)
print(1 / 3 + 1 / 3 + 1 / 3, 2 / 3 * 3, 10 / 3 * 3)
