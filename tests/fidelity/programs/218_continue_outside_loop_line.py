# 'continue' outside a loop, in a function's else branch: the line after it is the one named
def check(n):
    if n > 3:
        return "big"
    else:
        continue
    return "small"


print(check(5))
