# An error raised by a decorator while the function is defined.
def register(fn):
    raise ValueError('cannot register ' + 'twice')

print('before')

@register
def handler():
    return 1

print('after')
