# Errors from list operations, caught and printed.
tests = [
    lambda: [].pop(),
    lambda: [1, 2][5],
    lambda: [1].remove(5),
    lambda: [1].index(5),
    lambda: (1, 2).index(9),
    lambda: [1, 2] + (3,),
    lambda: [1] * 2.5,
    lambda: [1, 'a'].sort(),
    lambda: sorted([2, None]),
    lambda: [].foo,
    lambda: list(5),
]
for i, test in enumerate(tests):
    try:
        print(i, test())
    except Exception as e:
        print(i, type(e), e)
