"""QUIC version negotiation (RFC 9000, sections 6, 15 and 17.2.1).

A client packet of at least 1200 bytes with a long header and a version the server
does not support makes a QUIC server send a Version Negotiation packet. A version
of the form 0x?a?a?a?a is reserved (RFC 9000, section 15), so no server supports it,
and a QUIC server that receives the probe responds with Version Negotiation.
"""

from __future__ import annotations

import os
import struct
from dataclasses import dataclass

RESERVED_VERSION = 0x1A2A3A4A
MIN_INITIAL_SIZE = 1200
QUIC_V1 = 0x00000001
_CID_SIZE = 8
_MAX_CID_SIZE = 20


@dataclass(frozen=True)
class LongHeader:
    version: int
    destination_cid: bytes
    source_cid: bytes


@dataclass(frozen=True)
class VersionNegotiation:
    destination_cid: bytes
    source_cid: bytes
    versions: tuple[int, ...]


def encode_probe() -> tuple[bytes, bytes]:
    """Return a 1200-byte long-header packet with a reserved version, and its source CID.

    The first byte sets the header form, the fixed bit and the Initial type. The bytes
    after the connection IDs are random, like the encrypted payload of a real Initial.
    """
    destination_cid = os.urandom(_CID_SIZE)
    source_cid = os.urandom(_CID_SIZE)
    header = (
        bytes([0xC0])
        + struct.pack("!I", RESERVED_VERSION)
        + bytes([_CID_SIZE])
        + destination_cid
        + bytes([_CID_SIZE])
        + source_cid
    )
    return header + os.urandom(MIN_INITIAL_SIZE - len(header)), source_cid


def parse_long_header(data: bytes) -> LongHeader | None:
    """Parse the version-independent long header, or return None."""
    if len(data) < 7 or not data[0] & 0x80:
        return None
    (version,) = struct.unpack_from("!I", data, 1)
    offset = 5
    cids = []
    for _ in range(2):
        if offset >= len(data):
            return None
        size = data[offset]
        offset += 1
        if size > _MAX_CID_SIZE or offset + size > len(data):
            return None
        cids.append(data[offset : offset + size])
        offset += size
    return LongHeader(version, cids[0], cids[1])


def encode_version_negotiation(request: LongHeader, versions: tuple[int, ...]) -> bytes:
    """Build the Version Negotiation packet for `request`, with its connection IDs swapped."""
    return (
        bytes([0x80 | (os.urandom(1)[0] & 0x7F)])
        + struct.pack("!I", 0)
        + bytes([len(request.source_cid)])
        + request.source_cid
        + bytes([len(request.destination_cid)])
        + request.destination_cid
        + b"".join(struct.pack("!I", version) for version in versions)
    )


def parse_version_negotiation(data: bytes) -> VersionNegotiation | None:
    """Parse a Version Negotiation packet, or return None for anything else."""
    header = parse_long_header(data)
    if header is None or header.version != 0:
        return None
    offset = 7 + len(header.destination_cid) + len(header.source_cid)
    tail = data[offset:]
    if not tail or len(tail) % 4:
        return None
    versions = struct.unpack(f"!{len(tail) // 4}I", tail)
    return VersionNegotiation(header.destination_cid, header.source_cid, versions)
