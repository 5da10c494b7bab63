# The walrus operator came after MicroPython 1.9.
data = [1, 2, 3]
if (n := len(data)) > 2:
    print(n)
