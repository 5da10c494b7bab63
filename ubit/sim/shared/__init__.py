"""What both processes need: the board protocol, board specs, radio physics, sound synthesis."""
