from microbit import *
import music

while True:
    if button_a.was_pressed():
        music.play(["C4:4", "E4:4", "G4:8"])
    sleep(20)
