# Dict order with small int keys (hash order on the V1).
d = {}
for k in (9, 3, 7, 1, 12, 0, 5, 20, 16):
    d[k] = k * k
print(d)
print(list(d))
print(list(d.values()))
