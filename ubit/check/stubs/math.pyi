"""Mathematical functions (single precision: about 7 digits)."""

e: float
"""The number e, about 2.718."""
pi: float
"""The number pi, about 3.14159: a circle's circumference divided by its diameter."""

def sqrt(x: float) -> float:
    """The square root of ``x``."""
def pow(x: float, y: float) -> float:
    """``x`` to the power ``y``."""
def exp(x: float) -> float:
    """e to the power ``x``."""
def log(x: float, base: float = ...) -> float:
    """The natural logarithm of ``x`` (or the logarithm in ``base``)."""
def cos(x: float) -> float:
    """The cosine of ``x``, an angle in radians."""
def sin(x: float) -> float:
    """The sine of ``x``, an angle in radians."""
def tan(x: float) -> float:
    """The tangent of ``x``, an angle in radians."""
def acos(x: float) -> float:
    """The angle in radians whose cosine is ``x``."""
def asin(x: float) -> float:
    """The angle in radians whose sine is ``x``."""
def atan(x: float) -> float:
    """The angle in radians whose tangent is ``x``."""
def atan2(y: float, x: float) -> float:
    """The angle in radians of the point (``x``, ``y``), from -pi to pi."""
def ceil(x: float) -> int:
    """``x`` rounded up to a whole number."""
def floor(x: float) -> int:
    """``x`` rounded down to a whole number."""
def trunc(x: float) -> int:
    """``x`` without its decimals (rounded towards 0)."""
def copysign(x: float, y: float) -> float:
    """``x`` with the sign (+ or -) of ``y``."""
def fabs(x: float) -> float:
    """The absolute value of ``x``, as a float."""
def fmod(x: float, y: float) -> float:
    """The remainder of ``x`` divided by ``y``."""
def frexp(x: float) -> tuple[float, int]:
    """``x`` split into a mantissa and an exponent of 2."""
def ldexp(x: float, exp: int) -> float:
    """``x`` times 2 to the power ``exp``."""
def modf(x: float) -> tuple[float, float]:
    """The decimal part and the whole part of ``x``."""
def isfinite(x: float) -> bool:
    """Whether ``x`` is an ordinary number (not infinity or nan)."""
def isinf(x: float) -> bool:
    """Whether ``x`` is infinity."""
def isnan(x: float) -> bool:
    """Whether ``x`` is "not a number" (nan)."""
def radians(x: float) -> float:
    """The angle ``x`` in degrees, converted to radians."""
def degrees(x: float) -> float:
    """The angle ``x`` in radians, converted to degrees."""
