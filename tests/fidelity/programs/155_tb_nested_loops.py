# An error in the condition of an inner while loop.
grid = [[1, 2], [3]]
for row in grid:
    j = 0
    while row[j] < 3:
        print('cell', row[j])
        j += 1
