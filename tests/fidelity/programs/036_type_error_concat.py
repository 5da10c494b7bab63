# Concatenating a str and an int.
score = 10
print('Score: ' + score)
