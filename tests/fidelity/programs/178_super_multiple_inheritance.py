# super() with multiple inheritance.
class Base:
    def hello(self):
        return ['Base']

class Left(Base):
    def hello(self):
        return ['Left'] + super().hello()

class Right(Base):
    def hello(self):
        return ['Right'] + super().hello()

class Child(Left, Right):
    def hello(self):
        return ['Child'] + super().hello()

print(Child().hello())
print(isinstance(Child(), Right), issubclass(Child, Base))
