# sleep() advances running_time() by at least the time asked.
from microbit import *
t = running_time()
sleep(50)
d = running_time() - t
print(d >= 50, d < 70)
t = running_time()
sleep(0)
print(running_time() - t < 5)
