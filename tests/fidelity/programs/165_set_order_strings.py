# Set order with strings, and set.pop.
s = {'red', 'green', 'blue', 'yellow'}
print(s)
print(len(s), 'red' in s)
first = s.pop()
print(first in ('red', 'green', 'blue', 'yellow'), len(s))
print(set('hello'))
