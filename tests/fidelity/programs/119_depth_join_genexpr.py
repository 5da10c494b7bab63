# Call depth: the deepest join of a generator recursion that runs on the V1.
def f(n):
    if n == 0:
        return 'x'
    return ''.join(f(n - 1) for _ in range(1))

def run(d):
    f(d)

best = 0
for d in range(1, 16):
    try:
        run(d)
        best = d
    except RuntimeError:
        break
print('join of a generator', best)
