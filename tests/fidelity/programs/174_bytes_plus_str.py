# Mixing bytes and str.
def show(label, fn):
    try:
        print(label, repr(fn()))
    except Exception as e:
        print(label, type(e), e)

show('bytes + str', lambda: b'ab' + 'cd')
show('str + bytes', lambda: 'cd' + b'ab')
show('bytes == str', lambda: b'a' == 'a')
show('str in bytes', lambda: 'a' in b'abc')
show('bytes join', lambda: b','.join([b'a', b'b']))
show('bytes % ', lambda: b'%d' % 5)
show('bytearray + bytes', lambda: bytearray(b'x') + b'y')
