from microbit import *

while True:
    x = accelerometer.get_x()
    if x < -300:
        display.show(Image.ARROW_W)
    elif x > 300:
        display.show(Image.ARROW_E)
    else:
        display.clear()
    sleep(100)
