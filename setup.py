"""The build's one part pyproject.toml can't declare: the board's C fast paths, optional.

``ubit.sim.micropython._f32native`` (f32.py's fast path, issue 18),
``ubit.sim.micropython._randnative`` (random.py's, issue 17),
``ubit.sim.micropython._sortnative`` (the sort's fast-path test, mpbuiltins.py's),
``ubit.sim.micropython._strnative`` (``str(x)`` of a name, compiler.py's fast path),
``ubit.sim.micropython._hashnative`` (the board's dict and set bases, hashorder.py's) and
``ubit.sim.board._costnative`` (the cost model's meter, cost.py's, issue 18) and
``ubit.sim.board._confinenative`` (the sandbox's system calls without ctypes, sandbox.py's,
issue 17) are built
where a C compiler and Python's headers are found; elsewhere the build goes on without
them and boards use the Python code (the same results, slower).
"""

from setuptools import Extension, setup

setup(ext_modules=[Extension("ubit.sim.micropython._f32native",
                             ["ubit/sim/micropython/_f32native.c"], optional=True),
                   Extension("ubit.sim.micropython._randnative",
                             ["ubit/sim/micropython/_randnative.c"], optional=True),
                   Extension("ubit.sim.micropython._sortnative",
                             ["ubit/sim/micropython/_sortnative.c"], optional=True),
                   Extension("ubit.sim.micropython._strnative",
                             ["ubit/sim/micropython/_strnative.c"], optional=True),
                   Extension("ubit.sim.micropython._hashnative",
                             ["ubit/sim/micropython/_hashnative.c"], optional=True),
                   Extension("ubit.sim.board._costnative",
                             ["ubit/sim/board/_costnative.c"], optional=True),
                   Extension("ubit.sim.board._confinenative",
                             ["ubit/sim/board/_confinenative.c"], optional=True)])
