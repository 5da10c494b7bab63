# How the microbit module's objects print.
import microbit
from microbit import *
print(microbit, type(display), display, button_a, button_b)
print(pin0, pin3, pin16)
print(sleep, running_time, Image, Image.HEART.width())
print(hasattr(microbit, 'pin_logo'), hasattr(microbit, 'microphone'), hasattr(microbit, 'speaker'))
print(button_a.is_pressed(), button_a.was_pressed(), button_a.get_presses())
