from microbit import *
depth=[0]
def f(n):
    depth[0]=n
    running_time()
    return f(n+1)
try:
    f(0)
except RuntimeError as e:
    print("caught at", depth[0], e)
