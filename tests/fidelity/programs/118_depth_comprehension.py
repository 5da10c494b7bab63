# Call depth: the deepest list comprehension recursion that runs on the V1.
def f(n):
    if n == 0:
        return 0
    return [f(n - 1) for _ in range(1)][0] + 1

def run(d):
    f(d)

best = 0
for d in range(1, 16):
    try:
        run(d)
        best = d
    except RuntimeError:
        break
print('list comprehension', best)
