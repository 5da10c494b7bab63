from microbit import *
import random

while True:
    # when the micro:bit is shaken, show a random number from 1 to 6
    sleep(50)
