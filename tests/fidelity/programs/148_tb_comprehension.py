# An error inside a list comprehension written on several lines.
values = [4, 2, 0, 1]
print([10 // v for v in values if v > 1])
inverse = [
    10 // v
    for v in values
]
print(inverse)
