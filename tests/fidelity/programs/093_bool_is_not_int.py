# On MicroPython 1.9, bool is not a subclass of int.
print(isinstance(True, int), issubclass(bool, int), type(True) == int)
print(True + 1, True * 3, True == 1, hash(True))
