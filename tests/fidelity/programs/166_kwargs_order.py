# The order of **kwargs (a dict).
def show(**kw):
    print(kw)
    print(sorted(kw))

show(alpha=1, beta=2, gamma=3, delta=4)
