"""Record data in a table on the micro:bit, to open later as a web page. (V2 only)"""

MILLISECONDS: int
"""Timestamps in milliseconds, for ``set_labels(timestamp=...)``."""
SECONDS: int
"""Timestamps in seconds (the default)."""
MINUTES: int
"""Timestamps in minutes."""
HOURS: int
"""Timestamps in hours."""
DAYS: int
"""Timestamps in days."""

def set_labels(*labels: str, timestamp: int | None = SECONDS) -> None:
    """Name the table's columns; ``timestamp`` adds a time column (None for none)."""

def add(data_dictionary: dict[str, int | float | str] | None = None,
        **kwargs: int | float | str) -> None:
    """Add a row to the table, e.g. ``log.add(temp=temperature())``."""

def delete(full: bool = False) -> None:
    """Delete the whole log; ``full=True`` wipes it completely (slower)."""

def set_mirroring(serial: bool) -> None:
    """Also print every row to the serial port (True) or stop (False)."""
