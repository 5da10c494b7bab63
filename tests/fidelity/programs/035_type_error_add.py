# Adding an int and a str.
count = 3
print('count:', count)
print(count + ' apples')
