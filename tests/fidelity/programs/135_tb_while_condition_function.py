# An error in a while condition inside a function.
def countdown(items):
    n = 0
    while items[n] > 0:
        n += 1
        total = n
    return n

print(countdown([3, 2, 1, 0]))
print(countdown([3, 2, 1]))
