from microbit import *
import radio

radio.on()
while True:
    # send "ping" when A is pressed
    # show a heart when "ping" arrives
    sleep(20)
