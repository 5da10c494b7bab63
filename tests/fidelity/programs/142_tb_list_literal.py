# An error in one item of a list literal on several lines.
items = [
    1,
    2,
    int('three'),
    4,
]
print(items)
