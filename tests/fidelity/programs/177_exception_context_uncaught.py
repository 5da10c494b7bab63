# An error raised while handling another, uncaught.
try:
    {}['missing']
except KeyError:
    print('handling')
    [][0]
