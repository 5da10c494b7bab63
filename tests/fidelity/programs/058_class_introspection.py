# Class and instance introspection that MicroPython 1.9 does not support.
class A:
    x = 1

    def m(self):
        return 2

a = A()
for expr in ['A.__name__', 'A.__doc__', 'A.__dict__', 'A.__bases__', 'A.__mro__',
             'a.__class__', 'a.__dict__', 'A.__module__', 'A.__qualname__',
             'ValueError.__name__', 'type(a).__name__', 'len.__name__', 'A.m.__name__']:
    try:
        print(expr, '->', eval(expr))
    except AttributeError as e:
        print(expr, 'AttributeError:', e)
print(hasattr(a, 'x'), hasattr(a, 'm'), callable(a.m), callable(a))
