# A missing dict key, uncaught.
ages = {'ann': 31}
print(ages['ann'])
print(ages['bob'])
