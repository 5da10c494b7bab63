# An error raised while a for header takes the next item.
def numbers():
    yield 1
    yield 2
    raise ValueError('no more')

for n in numbers():
    print('got', n)
    print('twice', n * 2)
print('end')
