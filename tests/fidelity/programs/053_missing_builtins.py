# Builtins that exist in CPython but not in MicroPython on the V1.
for name in ['property', 'vars', 'format', 'complex', 'memoryview', 'delattr',
             'ascii', 'compile', 'NotImplemented', 'breakpoint', 'exit', 'quit',
             'open', 'input', 'print', 'help', 'eval', 'exec', 'globals', 'locals',
             'bytearray', 'frozenset', 'slice', 'super', 'callable', 'divmod',
             'enumerate', 'filter', 'hash', 'id', 'iter', 'next', 'reversed']:
    try:
        eval(name)
        print(name, 'present')
    except NameError as e:
        print(name, 'missing:', e)
