# Call depth: the deepest closure recursion that runs on the V1.
def make():
    step = 1
    def inner(n):
        if n == 0:
            return 0
        return inner(n - step) + step
    return inner

def run(d):
    make()(d)

best = 0
for d in range(1, 16):
    try:
        run(d)
        best = d
    except RuntimeError:
        break
print('closure', best)
