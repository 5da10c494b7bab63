# The iterator protocol in user classes.
class Countdown:
    def __init__(self, start):
        self.n = start

    def __iter__(self):
        return self

    def __next__(self):
        if self.n <= 0:
            raise StopIteration
        self.n -= 1
        return self.n + 1

print(list(Countdown(3)), [x * 2 for x in Countdown(2)], sum(Countdown(4)))
it = iter([1, 2])
print(next(it), next(it))
try:
    next(it)
except StopIteration:
    print('exhausted')
d = iter('ab')
print(next(d), list(d), list(d))
r = range(3)
print(list(r), list(r), 2 in r, r[1], len(r))
