"""``microbit``: assembled from the API areas in ``ubit.sim.runtime.api``."""

from __future__ import annotations

import importlib
from typing import Any

from ubit.sim.runtime.device import Device

# Each area module has contribute(device, namespace); order is the order names are added.
AREAS = ("core",)


def create(device: Device) -> dict[str, Any]:
    """The names of the ``microbit`` module on ``device``."""
    namespace: dict[str, Any] = {}
    for area in AREAS:
        importlib.import_module(f"ubit.sim.runtime.api.{area}").contribute(device, namespace)
    return namespace
