# An error inside a generator expression consumed by sum().
values = [4, 2, 0]
print(sum(10 // v for v in values if v))
print(sum(
    10 // v
    for v in values
))
