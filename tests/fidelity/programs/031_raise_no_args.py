# raise with no arguments: re-raise, and exceptions without args.
def risky():
    try:
        return [][0]
    except IndexError:
        print('logging and re-raising')
        raise

try:
    risky()
except IndexError as e:
    print('caught again:', e)
try:
    raise
except RuntimeError as e:
    print('bare raise:', e)
e = ValueError()
print(repr(e), '[' + str(e) + ']', e.args)
try:
    raise KeyError
except KeyError as k:
    print(repr(k))
raise ValueError
