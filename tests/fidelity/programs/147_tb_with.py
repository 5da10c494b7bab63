# Errors in a with statement: in __enter__ and in the body.
class Lock:
    def __init__(self, fail):
        self.fail = fail

    def __enter__(self):
        if self.fail:
            raise OSError('busy')
        return self

    def __exit__(self, *args):
        print('exit')

with Lock(False) as lock:
    print('inside')
with Lock(True) as lock:
    print('never')
