# An error in an argument of a call written on several lines.
def total(a, b, c):
    return a + b + c

print(total(1, 2, 3))
value = total(
    1,
    2 // 0,
    3,
)
