# The sys module on the V1.
import sys
print(sys.platform, sys.version, sys.version_info, sys.byteorder)
print(sys.implementation)
for name in ['path', 'modules', 'argv', 'maxsize', 'stdout', 'exit', 'print_exception']:
    print(name, hasattr(sys, name))
try:
    raise ValueError('printed by sys')
except ValueError as e:
    sys.print_exception(e)
sys.exit()
