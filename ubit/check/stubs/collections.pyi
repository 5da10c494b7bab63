"""Extra kinds of containers: ``namedtuple`` and ``OrderedDict``."""

from typing import Any

def namedtuple(name: str, fields: str | list[str] | tuple[str, ...]) -> type[tuple[Any, ...]]:
    """Make a tuple type whose items have names, e.g. ``namedtuple('Point', 'x y')``."""

class OrderedDict(dict[Any, Any]):
    """A dictionary that remembers the order its keys were added in."""
