# Call depth: the deepest map recursion that runs on the V1.
def f(n):
    if n == 0:
        return 0
    return list(map(f, [n - 1]))[0] + 1

def run(d):
    f(d)

best = 0
for d in range(1, 16):
    try:
        run(d)
        best = d
    except RuntimeError:
        break
print('map', best)
