# Music, speech and (on a V2) a sound effect. Record it: ubit run examples/sounds.py --audio out.wav
import music
import speech
from microbit import display

display.scroll("tune", wait=False)
music.play(music.BA_DING)
speech.say("Hello, I am a micro bit.")
speech.sing("#115DOWWWW #103REYYYY #94MIYYYY")
try:
    from microbit import audio

    audio.play(audio.SoundEffect(freq_start=400, freq_end=2000, duration=500))
except AttributeError:  # a V1 has no sound effects
    pass
print("done")
