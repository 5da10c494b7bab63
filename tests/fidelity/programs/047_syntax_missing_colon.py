# A missing colon: the parser reports the line.
print('never printed')
for i in range(3)
    print(i)
