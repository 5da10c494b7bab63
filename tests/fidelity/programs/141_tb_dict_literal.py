# An error in one value of a dict literal on several lines.
settings = {
    'name': 'bit',
    'speed': 10,
    'ratio': 10 / 0,
    'size': 3,
}
print(settings)
