# str and bytes methods that MicroPython leaves out raise AttributeError.
names = ['center', 'ljust', 'rjust', 'title', 'capitalize', 'zfill', 'swapcase',
         'splitlines', 'partition', 'rpartition', 'encode', 'isalnum', 'casefold',
         'expandtabs', 'translate', 'isdecimal', 'isnumeric']
for name in names:
    try:
        getattr('abc', name)
        print(name, 'exists')
    except AttributeError as e:
        print(name, 'missing:', e)
for name in ['decode', 'hex', 'upper', 'split']:
    print(name, hasattr(b'ab', name))
print(hasattr('abc', 'format'), hasattr('abc', 'rindex'))
