from microbit import *

while True:
    x = accelerometer.get_x()
    # show an arrow pointing the way the micro:bit is tilted
    sleep(100)
