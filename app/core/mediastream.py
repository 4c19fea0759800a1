"""A paced stream of datagrams that are echoed back, and its RFC 3550 statistics.

The sender stamps each datagram with a sequence number and records its send time.
Each reply is matched by that number, so the round-trip time, interarrival jitter,
loss and loss bursts all come from one clock on this computer.
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
import struct
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from aioice import stun

log = logging.getLogger(__name__)

RTP_HEADER = struct.Struct("!BBHII")
RTP_VERSION_BYTE = 0x80  # version 2, no padding, no extension, no CSRC
PAYLOAD_TYPE_PCMU = 0
SAMPLES_PER_PACKET = 160  # 20 ms of G.711 at 8000 Hz
MAX_REPLY = 2048
# RFC 7983 leaves first bytes 4-15 unassigned: not STUN, ZRTP, DTLS, a TURN channel
# or RTP/RTCP. The top bits are 0, so it is no QUIC packet either, and it is never
# the "U" of a probe token.
CONTROL_FIRST_BYTES = range(4, 16)
CONTROL_TAG_SIZE = 8
CONTROL_MIN_SIZE = 1 + CONTROL_TAG_SIZE
# A stream is capped at this many datagrams, so 16-bit RTP sequence numbers never wrap.
MAX_PACKETS = 65_536


@dataclass
class StreamStats:
    sent: int = 0
    received: int = 0
    duplicates: int = 0
    send_times: list[float] = field(default_factory=list)
    arrivals: dict[int, float] = field(default_factory=dict)

    def received_pattern(self) -> list[bool]:
        return [seq in self.arrivals for seq in range(self.sent)]

    def rtts_ms(self) -> list[float]:
        return [
            (arrival - self.send_times[seq]) * 1000
            for seq, arrival in sorted(self.arrivals.items())
        ]

    def jitter_ms(self) -> float:
        """Return the RFC 3550 interarrival jitter (section 6.4.1) in milliseconds.

        Packets are taken in arrival order. The transit time is the arrival time minus
        the send time, so this is the jitter of the round trip through the echo.
        """
        jitter = 0.0
        previous: float | None = None
        for seq, arrival in sorted(self.arrivals.items(), key=lambda item: item[1]):
            transit = arrival - self.send_times[seq]
            if previous is not None:
                jitter += (abs(transit - previous) - jitter) / 16
            previous = transit
        return jitter * 1000

    def longest_loss_burst(self) -> int:
        longest = current = 0
        for received in self.received_pattern():
            current = 0 if received else current + 1
            longest = max(longest, current)
        return longest

    def last_received_seq(self) -> int | None:
        return max(self.arrivals) if self.arrivals else None


def rtp_packet(seq: int, ssrc: int, size: int) -> bytes:
    """Build an RTP packet (PCMU) of `size` bytes; the payload is silence (0xFF)."""
    header = RTP_HEADER.pack(
        RTP_VERSION_BYTE,
        PAYLOAD_TYPE_PCMU,
        seq & 0xFFFF,
        (seq * SAMPLES_PER_PACKET) & 0xFFFFFFFF,
        ssrc,
    )
    return header + b"\xff" * max(0, size - RTP_HEADER.size)


def rtp_sequence(data: bytes, ssrc: int) -> int | None:
    """Return the sequence number of an echoed RTP packet of our SSRC, else None."""
    if len(data) < RTP_HEADER.size:
        return None
    first, _, seq, _, packet_ssrc = RTP_HEADER.unpack_from(data)
    if first != RTP_VERSION_BYTE or packet_ssrc != ssrc:
        return None
    return seq


class _Receiver(asyncio.DatagramProtocol):
    def __init__(
        self,
        peer: tuple[str, int],
        match: Callable[[bytes], int | None],
        stats: StreamStats,
    ) -> None:
        self.peer = peer
        self.match = match
        self.stats = stats
        self.errors = 0

    def datagram_received(self, data: bytes, addr: tuple) -> None:
        if (addr[0], addr[1]) != self.peer:
            return
        now = time.perf_counter()
        seq = self.match(data[:MAX_REPLY])
        if seq is None or seq >= self.stats.sent:
            return
        if seq in self.stats.arrivals:
            self.stats.duplicates += 1
            return
        self.stats.arrivals[seq] = now
        self.stats.received += 1

    def error_received(self, exc: Exception) -> None:
        self.errors += 1


async def run_stream(
    peer: tuple[str, int],
    build: Callable[[int], bytes],
    match: Callable[[bytes], int | None],
    count: int,
    packets_per_second: float,
    grace_s: float,
) -> StreamStats:
    """Send `count` datagrams from `build(seq)` at the given rate, then wait `grace_s`.

    `match` maps a reply to the sequence number it answers, or None to ignore it.
    """
    count = min(count, MAX_PACKETS)
    stats = StreamStats()
    loop = asyncio.get_running_loop()
    family = socket.AF_INET6 if ":" in peer[0] else socket.AF_INET
    transport, protocol = await loop.create_datagram_endpoint(
        lambda: _Receiver(peer, match, stats),
        family=family,
        remote_addr=None,
        local_addr=("::" if family == socket.AF_INET6 else "0.0.0.0", 0),
    )
    started = time.perf_counter()
    try:
        for seq in range(count):
            delay = started + seq / packets_per_second - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            stats.send_times.append(time.perf_counter())
            stats.sent += 1
            transport.sendto(build(seq), peer)
        await asyncio.sleep(grace_s)
    finally:
        transport.close()
    log.debug(
        "stream to %s:%d: %d sent, %d echoed, %d ICMP errors",
        peer[0],
        peer[1],
        stats.sent,
        stats.received,
        protocol.errors,
    )
    return stats


def rtp_stream(
    peer: tuple[str, int],
    count: int,
    packets_per_second: float,
    size: int,
    grace_s: float,
):
    ssrc = int.from_bytes(os.urandom(4), "big")
    return run_stream(
        peer,
        lambda seq: rtp_packet(seq, ssrc, size),
        lambda data: _unwrap(rtp_sequence(data, ssrc), count),
        count,
        packets_per_second,
        grace_s,
    )


def _unwrap(seq16: int | None, count: int) -> int | None:
    # MAX_PACKETS keeps the stream below 65536 packets, so no wrap-around happens.
    if seq16 is None or seq16 >= count:
        return None
    return seq16


def stun_stream(
    peer: tuple[str, int], count: int, packets_per_second: float, grace_s: float
):
    """Stream STUN binding requests; each response is matched by transaction ID."""
    ids: dict[bytes, int] = {}

    def build(seq: int) -> bytes:
        request = stun.Message(
            message_method=stun.Method.BINDING, message_class=stun.Class.REQUEST
        )
        ids[request.transaction_id] = seq
        return bytes(request)

    def match(data: bytes) -> int | None:
        if len(data) < 20:
            return None
        return ids.get(data[8:20])

    return run_stream(peer, build, match, count, packets_per_second, grace_s)


def control_packet(size: int) -> tuple[bytes, bytes]:
    """Build a random-payload datagram of `size` bytes and return it with its tag.

    The first byte is a random one of CONTROL_FIRST_BYTES, so no RTP, STUN, QUIC or
    probe-token parser accepts it. The rest, the tag included, is random.
    """
    if size < CONTROL_MIN_SIZE:
        raise ValueError(f"a control packet needs {CONTROL_MIN_SIZE} bytes, got {size}")
    random = os.urandom(size)
    first = CONTROL_FIRST_BYTES[random[0] % len(CONTROL_FIRST_BYTES)]
    packet = bytes([first]) + random[1:]
    return packet, packet[1 : 1 + CONTROL_TAG_SIZE]


def control_tag(data: bytes) -> bytes | None:
    """Return the tag of an echoed control packet, or None for anything else."""
    if len(data) < CONTROL_MIN_SIZE or data[0] not in CONTROL_FIRST_BYTES:
        return None
    return data[1 : 1 + CONTROL_TAG_SIZE]


def control_stream(
    peer: tuple[str, int],
    count: int,
    packets_per_second: float,
    size: int,
    grace_s: float,
):
    """Stream random-payload datagrams of RTP's size and rate, matched by their tag."""
    tags: dict[bytes, int] = {}

    def build(seq: int) -> bytes:
        packet, tag = control_packet(size)
        tags[tag] = seq
        return packet

    def match(data: bytes) -> int | None:
        tag = control_tag(data)
        return None if tag is None else tags.get(tag)

    return run_stream(peer, build, match, count, packets_per_second, grace_s)
