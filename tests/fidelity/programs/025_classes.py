# Classes: __init__, methods, class attributes, inheritance, super().
class Animal:
    legs = 4

    def __init__(self, name):
        self.name = name

    def speak(self):
        return self.name + ' makes a sound'

    def __str__(self):
        return 'Animal(%s)' % self.name


class Bird(Animal):
    legs = 2

    def __init__(self, name, can_fly=True):
        super().__init__(name)
        self.can_fly = can_fly

    def speak(self):
        return super().speak() + ': tweet'


a = Animal('cat')
b = Bird('robin')
print(a.speak())
print(b.speak(), b.legs, Animal.legs, b.can_fly)
print(a, b, str(b))
print(isinstance(b, Animal), isinstance(a, Bird), issubclass(Bird, Animal))
a.legs = 3
print(a.legs, Animal.legs, hasattr(a, 'name'), getattr(b, 'wings', 'none'))
setattr(b, 'wings', 2)
print(b.wings)
