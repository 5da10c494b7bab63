# An uncaught error inside a method called from another method.
class Robot:
    def __init__(self, name):
        self.name = name
        self.moves = []

    def move(self, steps):
        self.moves.append(steps)
        return self.check()

    def check(self):
        return 100 // (sum(self.moves) - 5)

r = Robot('bit')
print(r.move(2))
print(r.move(3))
