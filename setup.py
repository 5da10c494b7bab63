"""The build's one part pyproject.toml can't declare: board floats' C operators, optional.

``ubit.sim.micropython._f32native`` (f32.py's fast path, issue 18) is built where a C
compiler and Python's headers are found; elsewhere the build goes on without it and
boards use f32.py's Python operators (the same results, slower).
"""

from setuptools import Extension, setup

setup(ext_modules=[Extension("ubit.sim.micropython._f32native",
                             ["ubit/sim/micropython/_f32native.c"], optional=True)])
