"""The air between virtual boards: who hears which radio packet, when, and how loud.

``space.RadioSpace`` joins the boards one host runs (sharing virtual time when they
run headless); ``ether.Ether`` joins radio spaces in other processes on this machine;
``rf`` is the signal model (power, distance, RSSI, range, air time).
"""
