# staticmethod, classmethod, class-level state.
class Counter:
    instances = 0

    def __init__(self):
        Counter.instances += 1

    @staticmethod
    def describe(n):
        return 'n=%d' % n

    @classmethod
    def make(cls):
        return cls()

    @classmethod
    def how_many(cls):
        return cls.instances


Counter()
Counter.make()
c = Counter.make()
print(Counter.how_many(), c.how_many(), Counter.describe(5), c.describe(6))
print(type(c) == Counter, type(c) is Counter, isinstance(c, object))
