"""The board process's plumbing and parts: clock, serial port, control channel, inputs, parts."""
