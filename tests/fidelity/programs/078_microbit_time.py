# sleep and running_time without timing-dependent output.
from microbit import sleep, running_time
import microbit
start = running_time()
sleep(200)
elapsed = running_time() - start
print(elapsed >= 200, elapsed < 1000, type(start))
sleep(0)
sleep(1.5)
print('slept')
print(microbit.running_time() >= start, callable(sleep))
