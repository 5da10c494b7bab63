"""An easter egg: importing it shows a little animation on the display."""
