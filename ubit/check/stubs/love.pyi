"""An easter egg: importing it shows beating hearts on the display."""

def badaboom() -> None:
    """Show the beating hearts again."""
