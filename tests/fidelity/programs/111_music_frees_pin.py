import music
from microbit import *
music.play('c:1')
print(pin0.get_mode())
try:
    pin0.write_digital(1)
    print(pin0.get_mode())
except ValueError as e:
    print(e)
music.play('c:4', wait=False)
print(pin0.get_mode())
music.stop()
print(pin0.get_mode())
music.pitch(440, 10)
print(pin0.get_mode())
