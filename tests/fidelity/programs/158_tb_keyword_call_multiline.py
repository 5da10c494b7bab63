# An error in a keyword argument of a multi-line call.
def make(name, size=1, colour='red'):
    return (name, size, colour)

print(make('a', size=2))
thing = make(
    'b',
    size=len(5),
    colour='blue',
)
