# with statements and user context managers.
class Tracker:
    def __init__(self, name):
        self.name = name

    def __enter__(self):
        print('enter', self.name)
        return self

    def __exit__(self, kind, value, tb):
        print('exit', self.name, kind, value)
        return self.name == 'swallow'

with Tracker('plain') as t:
    print('inside', t.name)
with Tracker('swallow'):
    raise ValueError('hidden')
try:
    with Tracker('propagate'):
        raise KeyError('shown')
except KeyError as e:
    print('propagated', e)
with Tracker('a') as a, Tracker('b') as b:
    print(a.name + b.name)
