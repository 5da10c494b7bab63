# Walking through strings.
word = 'micro:bit'
for i, ch in enumerate(word):
    if ch == ':':
        print('colon at', i)
print([ord(c) for c in 'AZaz09'], ''.join(chr(c) for c in [72, 105]))
print(list(reversed('abc')), sorted(word), word.count('i'), word.split(':'))
vowels = 0
for ch in word:
    if ch in 'aeiou':
        vowels += 1
print('vowels', vowels)
caesar = ''.join(chr((ord(c) - 97 + 3) % 26 + 97) if c.isalpha() else c for c in word)
print(caesar)
print(word.upper()[::1], word[2:5] * 2, '-'.join(word))
print(str(12345)[2], len(str(2 ** 50)), 'abc' * 0, 'x' in '', '' in 'x')
