# An error inside a with block, in a file and in a context manager of our own.
class Lock:
    def __enter__(self):
        print('locked')
        return self

    def __exit__(self, kind, value, tb):
        print('unlocked', kind)
        return False

with open('log.txt', 'w') as f:
    f.write('ok')
print(open('log.txt').read())

def update(lock, data):
    with lock:
        data['count'] += 1
        return data['total'] / data['count']

print(update(Lock(), {'count': 1, 'total': 10}))
update(Lock(), {'count': 0})
