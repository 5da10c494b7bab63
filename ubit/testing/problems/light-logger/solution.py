from microbit import *

readings = []
while True:
    if button_a.was_pressed():
        readings.append(display.read_light_level())
        with open("light.txt", "w") as f:
            for level in readings:
                f.write(str(level) + "\n")
    sleep(50)
