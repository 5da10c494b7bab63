# type() and isinstance() checks as beginners write them.
values = [1, 2.5, 'three', [4], (5,), {'six': 6}, None, b'8']
for v in values:
    kinds = []
    if type(v) == int:
        kinds.append('int')
    if type(v) == float:
        kinds.append('float')
    if type(v) == str:
        kinds.append('str')
    if isinstance(v, (list, tuple)):
        kinds.append('sequence')
    if isinstance(v, dict):
        kinds.append('dict')
    if isinstance(v, int):
        kinds.append('int-like')
    if v is None:
        kinds.append('none')
    print(repr(v), type(v), kinds)
print(isinstance('x', str), isinstance(1, str), str == type(''), type('') == str)
print(str(5) + str(2.5) + str(None) + str([1]))
