# A local variable used before it is assigned.
total = 10

def add(n):
    total = total + n
    return total

print('adding')
print(add(5))
