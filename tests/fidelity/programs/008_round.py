# round() on ints and floats.
print(round(2.5), round(3.5), round(-2.5), round(0.5), round(1.5))
print(round(2.675, 2), round(1.23456, 3), round(-1.005, 2))
print(round(7), round(7.0), round(7.6), round(-7.6))
print(round(1234.5678, 1), round(1234.5678, 2))
print(round(1 / 3, 4), round(2 / 3, 1), round(10.0 / 3, 0))
print(type(round(2.5)), type(round(2.5, 1)), round(2.5) + 1)
print(round(0.0), round(-0.4), round(99.5))
