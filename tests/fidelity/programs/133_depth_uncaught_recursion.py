# An uncaught recursion error: the traceback the firmware prints.
def down(n):
    return down(n + 1) + 1

down(0)
