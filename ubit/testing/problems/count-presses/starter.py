from microbit import *

count = 0
while True:
    # add one to count when B is pressed
    # scroll the count when A is pressed
    sleep(20)
