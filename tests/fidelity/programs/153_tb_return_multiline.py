# An error in a return expression on several lines.
def area(w, h):
    return (w *
            h /
            0)

print(area(2, 3))
