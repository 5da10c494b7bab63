# Pure integer algorithms.
def gcd(a, b):
    while b:
        a, b = b, a % b
    return a

def primes(limit):
    found = []
    for n in range(2, limit):
        if all(n % p for p in found):
            found.append(n)
    return found

def collatz(n):
    steps = 0
    while n != 1:
        n = n // 2 if n % 2 == 0 else 3 * n + 1
        steps += 1
    return steps

print(gcd(1071, 462), gcd(2 ** 40, 6 ** 20))
print(primes(60))
print([collatz(n) for n in range(1, 16)], max(range(1, 100), key=collatz))
fib = [0, 1]
while len(fib) < 60:
    fib.append(fib[-1] + fib[-2])
print(fib[-1], fib[59] % 1000007, sum(fib) // 3)
print(int(''.join(str(d) for d in range(1, 10))) * 9, bin(2 ** 16 - 1).count('1'))
