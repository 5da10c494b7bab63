"""What every part shares: a name, a way to publish what changed, and its state now."""

from __future__ import annotations

from collections.abc import Callable

from ubit.sim.shared.typenames import Any

Publish = Callable[[str, Any], None]  # (state id, new value)


def _ignore(part: str, value: Any) -> None:
    """A publisher for parts nobody watches."""


class Part:
    """A board part: state and rules, never rendering; changes go to ``publish``."""

    part_id = "part"

    def __init__(self, publish: Publish | None = None) -> None:
        self.publish = publish or _ignore

    def changed(self, value: Any, part_id: str | None = None) -> None:
        """Tell the host this part (or one of its inputs) now has ``value``."""
        self.publish(part_id or self.part_id, value)

    def snapshot(self) -> dict[str, Any]:
        """Every state id this part publishes, with its value now."""
        raise NotImplementedError(f"{type(self).__name__} doesn't say its state")
