# An error inside a loop inside try/finally: the traceback after finally runs.
def work(values):
    total = 0
    try:
        for v in values:
            total += 100 // v
    finally:
        print('cleanup', total)
    return total

print(work([1, 2]))
print(work([5, 0]))
