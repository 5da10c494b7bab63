# Recursion depth: the V1 stack allows only a few frames.
def depth(n):
    if n == 0:
        return 0
    return 1 + depth(n - 1)

for i in range(10):
    try:
        print(i, depth(i))
    except RuntimeError as e:
        print(i, 'RuntimeError:', e)
        break
