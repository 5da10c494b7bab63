# Call depth: the deepest __str__ through str() recursion that runs on the V1.
class Node:
    def __init__(self, child):
        self.child = child

    def __str__(self):
        return '(' + (str(self.child) if self.child else '') + ')'

def run(d):
    node = None
    for _ in range(d):
        node = Node(node)
    str(node)

best = 0
for d in range(1, 16):
    try:
        run(d)
        best = d
    except RuntimeError:
        break
print('__str__ through str()', best)
