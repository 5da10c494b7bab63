# Too few arguments: a function from a dict or list, a class, a static or class method.
def jump(height):
    print(height)
class Player:
    def __init__(self, name, lives):
        self.name = name
    def move(self, dx, dy=0):
        return dx
    @staticmethod
    def s(x):
        return x
    @classmethod
    def c(cls, x):
        return x
class Robot:
    def __init__(self, name, size=1):
        pass
class Kid(Player):
    pass
moves = {"j": jump}
acts = [jump]
B = Player
for text in ('moves["j"]()', 'acts[0]()', 'Player("ann")', 'Robot()', 'Kid()', 'B()',
             'Player("a", 1).move()', 'Player.s()', 'Player("a", 1).s()', 'Player.c()',
             'Player("a", 1).c()', 'jump()', '(lambda a, b: a)(1)', 'Player("a", 1, 2)',
             'Player("a", 1).move(1, 2, 3)'):
    try:
        eval(text)
    except TypeError as e:
        print(text, '!!', e)
def g(a, b, c):
    pass
try:
    moves["j"]()
except TypeError as e:
    print(e)
p = Player("ann")
def g(a, b, c):
    pass
def greet(name, greeting='Hi'):
    pass
class Pet:
    def __init__(self, name, kind):
        pass
    def feed(self, food, amount=1):
        pass
for text in ('g(c=3)', 'g(1, c=3)', 'g(b=2)', 'greet(greeting="Yo")', 'Pet(kind="cat")',
             'Pet("a", "b").feed(amount=2)', 'g(1, 2, a=1)', 'g(d=1)'):
    try:
        eval(text)
    except TypeError as e:
        print(text, '!!', e)
