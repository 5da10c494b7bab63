# A conversion table as a beginner would print it.
for c in range(-10, 41, 5):
    f = c * 9 / 5 + 32
    print(c, 'C =', f, 'F', '|', '%d F' % f, '|', '%.1f F' % f, '|', str(round(f, 1)))
readings = [21.5, 22.25, 19.75, 23.0, 20.125]
average = sum(readings) / len(readings)
print('average:', average, 'rounded:', round(average, 2), 'int:', int(average))
print('max %.2f min %.2f spread %s' % (max(readings), min(readings), max(readings) - min(readings)))
print('{} readings, mean {:.3f}'.format(len(readings), average))
