# An unclosed bracket reaches the end of the file.
values = [1, 2, 3
print(values)
