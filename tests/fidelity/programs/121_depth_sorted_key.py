# Call depth: the deepest sorted key recursion that runs on the V1.
def f(n):
    if n == 0:
        return 0
    return sorted([n - 1, n - 1], key=f)[0] + 1

def run(d):
    f(d)

best = 0
for d in range(1, 16):
    try:
        run(d)
        best = d
    except RuntimeError:
        break
print('sorted key', best)
