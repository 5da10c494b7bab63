# An error in an if condition written on several lines.
a = [1, 2, 3]
if (len(a) > 2 and
        a[1] > 1 and
        a[5] > 0):
    print('yes')
