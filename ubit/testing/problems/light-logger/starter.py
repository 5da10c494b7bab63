from microbit import *

readings = []
while True:
    # when A is pressed, add display.read_light_level() to readings
    # and write them all to light.txt, one a line
    sleep(50)
