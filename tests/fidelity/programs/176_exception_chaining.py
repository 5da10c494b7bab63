# Exception chaining attributes.
try:
    try:
        1 / 0
    except ZeroDivisionError as inner:
        raise ValueError('outer') from inner
except ValueError as e:
    for attr in ('__cause__', '__context__', '__traceback__', 'args'):
        try:
            print(attr, repr(getattr(e, attr)))
        except AttributeError as err:
            print(attr, 'AttributeError', err)
