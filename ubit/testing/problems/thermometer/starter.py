from microbit import *

while True:
    # when button A is pressed, scroll temperature()
    sleep(50)
