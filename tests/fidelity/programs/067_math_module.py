# The math module.
import math
print(math.pi, math.e)
print(math.sqrt(2), math.sqrt(16), math.pow(2, 10), math.exp(1), math.log(10))
print(math.sin(math.pi / 6), math.cos(0), math.tan(math.pi / 4), math.atan2(1, 1))
print(math.floor(2.7), math.ceil(2.1), math.floor(-2.5), math.trunc(-2.7), math.fabs(-3))
print(math.degrees(math.pi), math.radians(180), math.fmod(7, 3), math.modf(2.5))
print(math.isnan(float('nan')), math.isinf(float('inf')), math.copysign(1, -0.0))
print(math.log(8, 2), math.frexp(8), math.ldexp(1, 4), math.asin(1), math.acos(1))
for name in ['log10', 'log2', 'hypot', 'factorial', 'gcd', 'inf', 'tau', 'isclose']:
    print(name, hasattr(math, name))
try:
    math.sqrt(-1)
except ValueError as e:
    print('ValueError:', e)
