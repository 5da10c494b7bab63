# Division by zero inside a function.
def average(values):
    return sum(values) / len(values)

print(average([1, 2, 3, 4]))
for expr in ['5 // 0', '5 % 0', '5.0 / 0', 'divmod(1, 0)', '0 ** -1']:
    try:
        eval(expr)
    except ZeroDivisionError as e:
        print(expr, e)
print(average([]))
