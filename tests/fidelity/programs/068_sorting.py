# sorted, min, max, sum, any, all, enumerate, zip, reversed.
data = [5, 3, 8, 1, 9, 2]
print(sorted(data), sorted(data, reverse=True), data)
print(sorted(['banana', 'Apple', 'cherry']), sorted('hello'))
people = [('ann', 31), ('bob', 25), ('cy', 40)]
print(sorted(people, key=lambda p: p[1]), max(people, key=lambda p: p[1]))
print(min(data), max(data), sum(data), sum(data, 100), sum([0.5, 0.25]))
print(min('b', 'a', 'c'), max([1, 2], [1, 3]), min((4, 5), (4, 1)))
print(any([0, 0, 1]), all([1, 1, 0]), any([]), all([]))
print(list(enumerate('abc')), list(zip([1, 2, 3], 'ab')), list(reversed(data)))
print(list(zip()), list(zip([1], [2], [3])), dict(zip('ab', [1, 2]))['b'])
