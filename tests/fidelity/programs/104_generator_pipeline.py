# Generators chained together.
def numbers(limit):
    for n in range(limit):
        yield n

def squares(seq):
    for n in seq:
        yield n * n

def evens(seq):
    return (n for n in seq if n % 2 == 0)

print(list(evens(squares(numbers(10)))))
print(sum(squares(numbers(100))), max(evens(numbers(31))))
gen = squares(numbers(3))
print(next(gen), next(gen), next(gen))
try:
    next(gen)
except StopIteration:
    print('done')
print(list(zip(numbers(3), squares(numbers(3)))), any(n > 50 for n in squares(numbers(8))))
