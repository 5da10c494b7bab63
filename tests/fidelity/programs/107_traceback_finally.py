# An error leaving try/finally blocks: the firmware names each finally it passes.
def save(values):
    try:
        try:
            return values[10]
        finally:
            print('inner cleanup')
    finally:
        print('outer cleanup')
        print('done')

print('saving')
save([1, 2, 3])
