# Call depth: the deepest generator recursion that runs on the V1.
# (Deeper nests than 8 crash the firmware under QEMU instead of raising RuntimeError.)
def gen(n):
    if n == 0:
        yield 0
    else:
        for v in gen(n - 1):
            yield v + 1

def run(d):
    list(gen(d))

best = 0
for d in range(1, 9):
    try:
        run(d)
        best = d
    except RuntimeError:
        break
print('generator', best)
