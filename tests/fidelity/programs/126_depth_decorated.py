# Call depth: the deepest decorated function recursion that runs on the V1.
def traced(fn):
    def wrapper(*args):
        return fn(*args)
    return wrapper

@traced
def f(n):
    if n == 0:
        return 0
    return f(n - 1) + 1

def run(d):
    f(d)

best = 0
for d in range(1, 16):
    try:
        run(d)
        best = d
    except RuntimeError:
        break
print('decorated function', best)
