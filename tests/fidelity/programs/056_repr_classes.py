# How user classes and their methods print.
class Plain:
    pass

class WithRepr:
    def __repr__(self):
        return 'WithRepr()'

class WithStr:
    def __str__(self):
        return 'a WithStr'

    def method(self):
        pass

print(Plain, WithRepr, type(Plain), type(WithRepr()))
print(WithRepr(), [WithRepr()], str(WithRepr()), repr(WithRepr()))
w = WithStr()
print(w, str(w), 'x' + str(w))
print(WithStr.method, w.method, type(w.method))
print(isinstance(w, WithStr), type(w) == WithStr, type(w) is WithStr)
print('%s|%r' % (WithRepr(), WithRepr()))
print('{}'.format(w), '{!r}'.format(WithRepr()))
