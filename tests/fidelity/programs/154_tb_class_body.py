# An error while a class body runs.
class Config:
    size = 5
    half = size // 2
    broken = size // 0
    after = 1

print(Config.size)
