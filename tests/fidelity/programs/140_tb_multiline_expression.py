# An error in a parenthesised expression on several lines.
a = 5
b = 0
result = (a * 2 +
          a // b +
          7)
print(result)
