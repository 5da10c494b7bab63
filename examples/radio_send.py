# Press A (key a) to send a heart to every board in range; B sends a wave.
# Try it with two boards:  ubit run examples/radio_send.py examples/radio_recv.py
import radio
from microbit import Image, button_a, button_b, display, sleep

radio.on()
display.show(Image.ARROW_E)
while True:
    if button_a.was_pressed():
        radio.send("heart")
        print("sent heart")
    if button_b.was_pressed():
        radio.send("wave")
        print("sent wave")
    sleep(20)
