from microbit import *
import radio

radio.on()
while True:
    if button_a.was_pressed():
        radio.send("ping")
    if radio.receive() == "ping":
        display.show(Image.HEART)
    sleep(20)
