"""The radio signal model: transmit power, distance, RSSI, range and time on air.

Facts: the power levels are the firmware's (reference §21.1: index 0–7 into
``[-30, -20, -16, -12, -8, -4, 0, 4]`` dBm). Receiver sensitivities are the nRF51822
product specification's (v3.1, table 41: -90 dBm at 1 Mbit/s, -85 at 2 Mbit/s,
-96 at 250 kbit/s). The path loss is a model, not a measurement: free space at
2.4 GHz loses 40 dB over the first metre; indoors a distance exponent of 3 instead
of free space's 2 gives the 50–70 m a micro:bit reaches at full power.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

POWER_DBM = (-30, -20, -16, -12, -8, -4, 0, 4)
RATE_BITS_PER_S = {0: 1_000_000, 1: 2_000_000, 2: 250_000}  # RATE_1MBIT, 2MBIT, 250KBIT
SENSITIVITY_DBM = {0: -90, 1: -85, 2: -96}
LOSS_AT_1M_DB = 40.0
DISTANCE_EXPONENT = 3.0
NEAREST_M = 0.1  # closer than this the antennas couple; the loss stops falling
DEFAULT_DISTANCE_M = 1.0  # boards without positions: on a desk, a metre apart
RAMP_UP_US = 140  # nRF51 radio: disabled → transmitting (product specification, 130 µs + margin)
OVERHEAD_BYTES = 1 + 5 + 1 + 2  # preamble, address (base + group), length, CRC

Position = Sequence[float]


def distance_m(a: Position | None, b: Position | None) -> float:
    """Metres between two boards (the default when either has no position)."""
    if a is None or b is None:
        return DEFAULT_DISTANCE_M
    return math.dist(tuple(a) + (0.0,) * (3 - len(a)), tuple(b) + (0.0,) * (3 - len(b)))


def rssi_dbm(power: int, distance: float) -> int:
    """The received signal strength of a packet sent at power level ``power``."""
    loss = LOSS_AT_1M_DB + 10 * DISTANCE_EXPONENT * math.log10(max(distance, NEAREST_M))
    return max(-255, min(0, round(POWER_DBM[power] - loss)))


def heard(rssi: int, rate: int) -> bool:
    """Whether a receiver at data rate ``rate`` picks up a signal of ``rssi`` dBm."""
    return rssi >= SENSITIVITY_DBM.get(rate, SENSITIVITY_DBM[0])


def range_m(power: int, rate: int = 0) -> float:
    """How far a packet at ``power`` and ``rate`` still reaches, in metres."""
    margin = POWER_DBM[power] - LOSS_AT_1M_DB - SENSITIVITY_DBM[rate]
    return 10 ** (margin / (10 * DISTANCE_EXPONENT))


def air_time_us(payload_bytes: int, rate: int) -> int:
    """From the start of a send to the end of the packet on air, in µs."""
    bits = (OVERHEAD_BYTES + payload_bytes) * 8
    return RAMP_UP_US + -(-bits * 1_000_000 // RATE_BITS_PER_S.get(rate, 1_000_000))
