# Call depth: the deepest print at the bottom recursion that runs on the V1.
def f(n):
    if n == 0:
        print('bottom')
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
print('print at the bottom', best)
