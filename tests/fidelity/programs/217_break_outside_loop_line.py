# 'break' outside a loop: the V1 names the line of the next statement, past blank and comment lines
count = 0
print("start")
if count == 0:
    print("no loop here")
    break

# the firmware's line is this file's next statement

print("never")
