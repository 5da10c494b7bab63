# An error in a while loop body after several passes, then in the condition.
n = 0
while n < 5:
    n += 1
print('n', n)
items = [1, 2]
k = 0
while items[k]:
    k += 1
print('unreached')
