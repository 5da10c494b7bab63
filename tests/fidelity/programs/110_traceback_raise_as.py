# raise e inside except ... as e, uncaught.
def check(value):
    try:
        return 100 // value
    except ZeroDivisionError as e:
        print('cannot divide by', value)
        raise e

print(check(4))
print(check(0))
