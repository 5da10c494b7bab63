# The common idiom s[::-1] fails on MicroPython.
def reverse(s):
    return s[::-1]

print(reverse([1, 2, 3]))
print(reverse('hello'))
