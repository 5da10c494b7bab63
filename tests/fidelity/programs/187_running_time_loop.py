# Counting loops timed with running_time(): coarse facts only.
from microbit import *
start = running_time()
count = 0
while running_time() - start < 100:
    count += 1
elapsed = running_time() - start
print(elapsed >= 100, elapsed < 150)
print(count > 10, count < 1000000)
