# try / except / else / finally, in every order they can run.
def attempt(n):
    try:
        print('try', n)
        if n == 1:
            raise ValueError('one')
        if n == 2:
            return 'returned early'
    except ValueError as e:
        print('except', e)
    else:
        print('else')
    finally:
        print('finally', n)
    return 'end'

for n in range(3):
    print(attempt(n))

def nested():
    try:
        try:
            1 / 0
        finally:
            print('inner finally')
    except ZeroDivisionError as e:
        print('outer caught', e)

nested()
for i in range(3):
    try:
        if i == 1:
            continue
        print('body', i)
    finally:
        print('cleanup', i)
while True:
    try:
        break
    finally:
        print('break finally')
