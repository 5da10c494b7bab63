"""The nRF radio as the MicroPython firmware drives it: settings, receive queue, send (§21).

Facts from the firmware's radio drivers (V2 ``src/codal_port/drv_radio.c`` and
``modradio.c`` of micropython-microbit-v2 v2.1.2; V1 ``source/microbit/modradio.cpp`` of
bbcmicrobit/micropython v1.1.1 — the same code on both):

* Two sets of values. ``settings`` are what ``config()`` and ``reset()`` edit. The radio's
  *registers* (channel, power, data rate, address, group) take them when it is turned on
  and when ``config()`` runs while it is on; the packet length (``PCNF1``) and the
  receive buffer only when it is turned on — so ``reset()`` alone changes nothing on air.
* Turning on always turns off first: the buffer is freed and made anew, so queued
  packets are lost (``on()`` twice, or ``config(length=…/queue=…)`` while on).
* The receive buffer holds ``queue × (length + 6)`` bytes; a packet takes its payload
  plus 6 (length byte, RSSI byte, 4-byte µs timestamp). A packet that does not fit is
  dropped; the queued ones stay. A payload longer than ``length`` is cut to it.
* The hardware hears only packets on its channel, data rate, address and group.
* Sending is synchronous: the program waits while the packet goes out, and the radio
  hears nothing meanwhile (it is switched from receiving to sending and back).

Packets arrive from the board's antenna (``ubit.sim.board.radiolink``), possibly on
another thread in real time, so the queue is guarded by a lock.

Published: ``radio`` → ``{"on", "channel", "group", "sent", "received", "dropped"}``
(``received``: packets queued, ``dropped``: heard but no room), counts at most every
``PUBLISH_GAP_US`` of board time.
"""

from __future__ import annotations

import threading
from collections import deque

from ubit.sim.board import radiolink
from ubit.sim.board.clock import Clock, Timer
from ubit.sim.board.parts.base import Part, Publish
from ubit.sim.shared import rf
from ubit.sim.shared.protocol import PartSpec
from ubit.sim.shared.typenames import Any

PART = PartSpec("radio", "Radio", state=("radio",))  # packets come through the radio link

# drv_radio.h MICROBIT_RADIO_DEFAULT_* (modradio.cpp RADIO_DEFAULT_* on V1); power is the
# index config() takes (6: 0 dBm), data_rate 0 is RADIO_MODE_MODE_Nrf_1Mbit.
DEFAULTS: dict[str, int] = {"length": 32, "queue": 3, "channel": 7, "power": 6,
                            "address": 0x75626974, "group": 0, "data_rate": 0}
PACKET_OVERHEAD = 1 + 1 + 4  # drv_radio.c RADIO_PACKET_OVERHEAD: length, RSSI, timestamp
RSSI_MIN, RSSI_MAX = -255, 0  # the firmware keeps RSSISAMPLE in a byte and negates it
PUBLISH_GAP_US = 100_000  # counts go to the host at most this often

Entry = tuple[bytes, int, int]  # payload, RSSI (dBm), timestamp (µs, 32 bits)


class Radio(Part):
    """The radio: on/off, settings, the registers in use, and the packets received."""

    part_id = "radio"

    def __init__(self, clock: Clock, link: radiolink.RadioLink,
                 publish: Publish | None = None) -> None:
        super().__init__(publish)
        self.clock = clock
        self.link = link
        self.settings = dict(DEFAULTS)
        self.on = False
        # the registers in use while on (set by _enable / _update_registers)
        self.channel = self.power = self.rate = self.address = self.group = 0
        self.max_len = 0  # PCNF1: the longest payload sent or received
        self.capacity = 0  # bytes of the receive buffer
        self._queue: deque[Entry] = deque()
        self._used = 0  # bytes of the receive buffer in use
        self._lock = threading.Lock()  # the queue: packets arrive on another thread
        self._publish_lock = threading.RLock()
        self._busy_until = -1  # end of the send in progress: nothing is heard until then
        self.sent = self.received = self.dropped = 0
        self._next_publish_us = 0
        self._flush: Timer | None = None
        link.listen(self.receive_packet)

    # -- turning on and off, settings --------------------------------------------------------
    def reset_settings(self) -> None:
        """``reset()``: every setting back to its default (the registers keep theirs)."""
        self.settings = dict(DEFAULTS)

    def turn_on(self) -> None:
        """``on()``: off, then on afresh with the current settings (an empty queue)."""
        self._enable()
        self._publish()

    def turn_off(self) -> None:
        """``off()``: stop receiving and free the queue."""
        self._disable()
        self._publish()

    def configure(self, settings: dict[str, int]) -> None:
        """``config()`` with already checked ``settings``, applied as the firmware does."""
        resize = (settings["length"] != self.settings["length"]
                  or settings["queue"] != self.settings["queue"])
        self.settings = dict(settings)
        if self.on:
            if resize:  # new buffer sizes: the buffers are made anew (the queue is lost)
                self._enable()
            else:
                self._update_registers()
        self._publish()

    def _enable(self) -> None:
        with self._lock:
            self._disable_locked()
            length, queue = self.settings["length"], self.settings["queue"]
            self.max_len = length
            self.capacity = queue * (length + PACKET_OVERHEAD)
            self.on = True
            self._update_registers()

    def _disable(self) -> None:
        with self._lock:
            self._disable_locked()

    def _disable_locked(self) -> None:
        self.on = False
        self._queue.clear()
        self._used = 0

    def _update_registers(self) -> None:
        s = self.settings
        self.channel, self.power, self.rate = s["channel"], s["power"], s["data_rate"]
        self.address, self.group = s["address"] & 0xFFFFFFFF, s["group"] & 0xFF

    # -- sending ---------------------------------------------------------------------------
    def transmit(self, payload: bytes) -> None:
        """Send ``payload`` (cut to the packet length) and wait while it goes out."""
        data = payload[:self.max_len]
        start = self.clock.now_us()
        self.link.transmit({"data": radiolink.encode_payload(data), "channel": self.channel,
                            "address": self.address, "group": self.group, "rate": self.rate,
                            "power": self.power})
        # ramp up, the packet on air, then the switch back to receiving (nRF timings, rf)
        busy = rf.air_time_us(len(data), self.rate) + rf.RAMP_UP_US
        self._busy_until = start + busy
        self.sent += 1
        self._count_changed()
        self.clock.sleep_us(busy)

    # -- receiving -------------------------------------------------------------------------
    def receive_packet(self, packet: radiolink.Packet) -> None:
        """A packet reaches the antenna: queue it if the radio hears it and it fits."""
        get = packet.get  # every board hears every packet: this runs often
        if not (self.on and get("channel") == self.channel and get("rate") == self.rate
                and get("group") == self.group and get("address") == self.address):
            return
        now = self.clock.now_us()
        if now < self._busy_until:
            return  # sending: the receiver is off
        payload = radiolink.decode_payload(packet)[:self.max_len]
        rssi = get("rssi")
        if rssi is None:  # the host gave none: as from a board a metre away
            rssi = rf.rssi_dbm(int(get("power", DEFAULTS["power"])), rf.DEFAULT_DISTANCE_M)
        if type(rssi) is not int or not RSSI_MIN <= rssi <= RSSI_MAX:
            rssi = max(RSSI_MIN, min(RSSI_MAX, round(rssi)))
        size = len(payload) + PACKET_OVERHEAD
        with self._lock:
            if not self.on:
                return
            if self._used + size > self.capacity:
                self.dropped += 1
            else:
                self._queue.append((payload, rssi, now & 0xFFFFFFFF))
                self._used += size
                self.received += 1
        self._count_changed()

    def take(self) -> Entry | None:
        """The oldest packet received (taken off the queue), or None."""
        if not self._queue:
            return None
        with self._lock:
            if not self._queue:
                return None
            entry = self._queue.popleft()
            self._used -= len(entry[0]) + PACKET_OVERHEAD
            return entry

    @property
    def queued(self) -> int:
        """How many packets wait in the queue."""
        return len(self._queue)

    # -- the host's view -------------------------------------------------------------------
    def state(self) -> dict[str, Any]:
        """What is published: on, channel, group and the packet counts."""
        return {"on": self.on, "channel": self.channel if self.on else self.settings["channel"],
                "group": self.group if self.on else self.settings["group"],
                "sent": self.sent, "received": self.received, "dropped": self.dropped}

    def snapshot(self) -> dict[str, Any]:
        """``radio``: on, channel, group and the packet counts."""
        return {"radio": self.state()}

    def _publish(self) -> None:
        with self._publish_lock:
            flush, self._flush = self._flush, None
            if flush is not None:
                flush.cancel()
            self._next_publish_us = self.clock.now_us() + PUBLISH_GAP_US
            self.changed(self.state())

    def _count_changed(self) -> None:
        """Publish the counts now, or once the gap since the last publication has passed."""
        with self._publish_lock:
            if self.clock.now_us() >= self._next_publish_us:
                self._publish()
            elif self._flush is None:
                self._flush = self.clock.call_at(self._next_publish_us, self._publish)


def of(board: Any) -> Radio:
    """The board's radio, on the board's antenna."""
    return board.part(PART.id, lambda: Radio(board.clock, radiolink.of(board), board.publish))
