# Re-raising: a bare raise, raise e, and an except that doesn't match.
def parse(text):
    try:
        return int(text)
    except ValueError:
        print('bad number:', text)
        raise

def lookup(table, key):
    try:
        return table[key]
    except IndexError:
        return None

for attempt in (lambda: parse('12'), lambda: parse('x'), lambda: lookup({}, 'k')):
    try:
        print(attempt())
    except Exception as e:
        print('caught', type(e), e)
lookup({'a': 1}, 'b')
