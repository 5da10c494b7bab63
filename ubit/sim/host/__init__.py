"""The host side of virtual boards: the board handle, fleets, radio space, audio, controller."""
