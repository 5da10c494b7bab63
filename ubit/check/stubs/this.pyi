"""An easter egg: importing it prints the Zen of MicroPython."""

def authors() -> None:
    """Print the names of MicroPython's authors for the micro:bit."""
