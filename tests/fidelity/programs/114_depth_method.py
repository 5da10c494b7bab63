# Call depth: the deepest method recursion that runs on the V1.
class Counter:
    def down(self, n):
        if n == 0:
            return 0
        return self.down(n - 1) + 1

def run(d):
    Counter().down(d)

best = 0
for d in range(1, 16):
    try:
        run(d)
        best = d
    except RuntimeError:
        break
print('method', best)
