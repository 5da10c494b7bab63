# A NameError in the last argument of a multi-line call.
print('start')
print(
    'a',
    'b',
    missing_name,
)
