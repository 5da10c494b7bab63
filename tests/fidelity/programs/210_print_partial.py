# print() writes each argument as it goes: what came before a failing __str__ is out.
class G:
    def __str__(self):
        return 'S' + 1
try:
    print('a', 'b', G(), 'c')
except TypeError as e:
    print('|', repr(e))
print('lab', G())
