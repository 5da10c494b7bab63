# An uncaught error three calls deep.
def inner(x):
    return x['missing']

def middle(x):
    return inner(x) + 1

def outer():
    d = {'present': 1}
    return middle(d)

print('start')
outer()
print('never')
