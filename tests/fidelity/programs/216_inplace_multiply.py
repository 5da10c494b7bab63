# In-place * and % on a str, list or bytes: neither firmware falls back to the plain operator.
for text in ("s = '-'\ns *= 3", "L = [0]\nL *= 2", "b = b'a'\nb *= 2", "s = '%d'\ns %= 5",
             "t = (1,)\nt *= 2\nprint(t)", "n = 2\nn *= 3\nprint(n)"):
    try:
        exec(text)
        print('ok')
    except TypeError as e:
        print(repr(e))
