# An error inside a nested function, a lambda and a method.
class Meter:
    def __init__(self):
        self.readings = []

    def average(self):
        return sum(self.readings) / len(self.readings)

def report(m):
    show = lambda: 'avg %d' % m.average()
    return show()

m = Meter()
m.readings.append(4)
print(report(m))
m.readings.clear()
print(report(m))
