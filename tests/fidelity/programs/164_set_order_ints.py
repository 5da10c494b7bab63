# Set order and repr with ints.
s = {10, 3, 25, 7, 1, 18}
print(s)
print(sorted(s))
s.add(4)
s.discard(25)
print(s)
print(list({5, 1, 3} | {2, 4}))
