# str methods with corner cases.
print('a,b,,c'.split(','))
print('  x  y  '.split())
print('abc'.replace('', '-'))
print('hello'.find('l'), 'hello'.rfind('l'), 'hello'.index('o'))
print('a-b-c'.rsplit('-', 1))
print('x'.join('abc'))
print('Hello World'.lower().strip('hd'))
