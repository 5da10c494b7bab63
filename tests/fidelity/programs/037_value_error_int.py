# int() of text that is not a number.
answers = ['12', ' 7 ', 'seven']
for a in answers:
    print(int(a) * 2)
