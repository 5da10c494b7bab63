# The firmware's single-precision maths library is not correctly rounded: the last digit.
import math
print(math.sin(math.radians(225)))
print(math.cos(3.9), math.exp(8.9), math.log(3.4), math.log(179, 2))
print("%.8e" % math.acos(0.9))
