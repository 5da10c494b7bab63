# Call depth: the deepest keyword-argument recursion that runs on the V1.
def f(n, *args, **kw):
    if n == 0:
        return 0
    return f(n - 1, *args, **kw) + 1

def run(d):
    f(d, 1, 2, step=1)

best = 0
for d in range(1, 16):
    try:
        run(d)
        best = d
    except RuntimeError:
        break
print('keyword-argument', best)
