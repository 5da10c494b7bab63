# Shows what arrives by radio, and how strong the signal was.
import radio
from microbit import Image, display, sleep

radio.on()
display.show(Image.ASLEEP)
while True:
    packet = radio.receive_full()
    if packet:
        message, rssi, _ = packet
        text = str(message[3:], "utf-8")
        print("got", text, "at", rssi, "dBm")
        display.show(Image.HEART if text == "heart" else Image.HAPPY)
    sleep(20)
