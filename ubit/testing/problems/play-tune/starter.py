from microbit import *
import music

while True:
    # when button A is pressed, play C4, E4 and G4
    sleep(20)
