# An error in a decorator's wrapper when the decorated function is called.
def checked(fn):
    def wrapper(x):
        if x < 0:
            raise ValueError('negative')
        return fn(x)
    return wrapper

@checked
def root(x):
    return x ** 0.5

print(root(16))
print(root(-1))
