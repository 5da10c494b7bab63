# Call depth: the deepest lambda recursion that runs on the V1.
fact = lambda n: 1 if n == 0 else n * fact(n - 1)

def run(d):
    fact(d)

best = 0
for d in range(1, 16):
    try:
        run(d)
        best = d
    except RuntimeError:
        break
print('lambda', best)
