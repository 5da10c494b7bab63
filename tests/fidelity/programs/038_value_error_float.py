# float() of text that is not a number.
print(float('2.5') + 1)
print(float('x.5'))
