# A generator that returns a value, consumed by list().
def gen():
    yield 1
    yield 2
    return 'result'

print(list(gen()))
