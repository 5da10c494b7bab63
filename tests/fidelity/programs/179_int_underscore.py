# Underscores in numbers given to int() and float().
for text in ('1_000', '1000', '0x_ff', ' 12 ', '+5', '1e3'):
    try:
        print(repr(text), int(text))
    except ValueError as e:
        print(repr(text), 'ValueError', e)
for text in ('1_000.5', '2.5', 'inf'):
    try:
        print(repr(text), float(text))
    except ValueError as e:
        print(repr(text), 'ValueError', e)
