from microbit import *

while True:
    # when button A is pressed, show a heart
    # when button B is pressed, clear the display
    sleep(20)
