"""Talking to micro:bits: real boards over USB, and the real V1 firmware under QEMU."""
