# Opening a missing file, uncaught.
print('loading')
with open('settings.txt') as f:
    print(f.read())
