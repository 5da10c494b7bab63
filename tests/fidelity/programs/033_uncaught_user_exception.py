# An uncaught user-defined exception with two arguments.
class Boom(Exception):
    pass

def go():
    raise Boom('bad thing', 42)

print('about to fail')
go()
