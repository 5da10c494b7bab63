# A chain of method calls that ends in display.show, a few frames deep.
from microbit import *

class Sprite:
    def __init__(self, image):
        self.image = image

    def draw(self):
        return self.render()

    def render(self):
        return self.blit()

    def blit(self):
        display.show(self.image)
        return display.get_pixel(1, 1)

class Scene:
    def __init__(self):
        self.sprite = Sprite(Image.HAPPY)

    def update(self):
        return self.sprite.draw()

print('pixel', Scene().update())

def nest(n):
    if n == 0:
        return Scene().update()
    return nest(n - 1)

for n in range(4):
    try:
        print(n, nest(n))
    except RuntimeError as e:
        print(n, 'RuntimeError', e)
