# The common pattern: except Exception as e: print(e)
def attempt(description, action):
    try:
        action()
        print(description, 'worked')
    except Exception as e:
        print(description, 'failed:', e)
        print('  repr:', repr(e))

attempt('int of text', lambda: int('ten'))
attempt('missing key', lambda: {'a': 1}['b'])
attempt('bad index', lambda: [1, 2, 3][10])
attempt('divide', lambda: 10 / 0)
attempt('none call', lambda: None())
attempt('add types', lambda: 'score: ' + 5)
attempt('open file', lambda: open('missing.txt'))
attempt('undefined', lambda: undefined_thing + 1)
attempt('float text', lambda: float('1.2.3'))
attempt('attribute', lambda: (5).append(1))
