# Calling a missing str method, uncaught.
name = 'micro:bit'
print(name.upper())
print(name.title())
