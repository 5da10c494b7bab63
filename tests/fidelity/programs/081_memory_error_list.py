# The V1 heap is about 10 KB: a big list does not fit.
small = [0] * 100
print(len(small))
big = [0] * 5000
print(len(big))
