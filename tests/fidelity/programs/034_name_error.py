# NameError for an undefined name.
x = 1
print(x)
print(y)
