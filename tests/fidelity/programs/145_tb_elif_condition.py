# An error in an elif condition.
def classify(x):
    if x == 0:
        return 'zero'
    elif x / (x - 1) > 1:
        return 'big'
    else:
        return 'other'

print(classify(0))
print(classify(3))
print(classify(1))
