from microbit import *

count = 0
while True:
    if button_b.was_pressed():
        count += 1
    if button_a.was_pressed():
        display.scroll(count)
    sleep(20)
