# round() of floats.
print(round(2.5), round(3.5), round(-0.5))
print(round(2.675, 2), round(1.005, 2))
print(round(1234.5678, 1), round(1234.5678, -2))
print(round(0.1 + 0.2, 10))
print(round(7), round(7, 1))
