# repr of strings: quotes and escapes.
print(repr('plain'), repr("it's"), repr('say "hi"'), repr('both \' and "'))
print(repr('tab\there'), repr('new\nline'), repr('back\\slash'), repr('\x00\x7f'))
print(repr('\r'), repr(''), ['a', "b'c"], ('x',))
print('caf\xe9', repr('caf\xe9'), ['caf\xe9'], len('caf\xe9'))
print(repr('\u20ac'), '\u20ac', len('\u20ac'), ord('\u20ac'), chr(0x20ac) == '\u20ac')
print(repr(b'bytes\x00\xff'), b'abc', [b'x'], repr(bytearray(b'hi')))
print(str(b'ab'), str(bytearray(b'cd')))
print('%r %s' % ('q', 'q'), '{!r}'.format('r'))
