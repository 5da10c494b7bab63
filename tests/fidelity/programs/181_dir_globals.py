# dir() of the module's globals.
import math
alpha = 1
def beta():
    pass
class Gamma:
    pass
names = dir()
print(sorted(names))
print(len(names))
print(names)
