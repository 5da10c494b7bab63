# upper() and lower() on non-ASCII text.
for s in ('caf\xe9', '\xc9T\xc9', 'stra\xdfe', '\u03b1\u03b2', 'Abc'):
    print(repr(s.upper()), repr(s.lower()), len(s))
print('\xe9'.isalpha(), '\xe9'.isupper(), 'A\xe9'.isupper())
