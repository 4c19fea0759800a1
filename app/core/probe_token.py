"""Wire format of the UDP probes and of the responder's replies.

A probe is `MAGIC, version, KIND_PROBE, token (8 bytes)` padded with zeros to the
size the sender chooses. A reply is `MAGIC, version, KIND_REPLY, token, family,
port, address`: the probe's token and the source address and port the responder saw
(the agent's public mapping, after NAT). The responder cuts a reply to the size of
its probe, so a probe shorter than REPLY_MAX_SIZE gets a truncated reply, and
senders pad their probes to PROBE_SIZE to receive a whole one.
"""

from __future__ import annotations

import ipaddress
import secrets
import struct
from dataclasses import dataclass

MAGIC = b"UCNC"
VERSION = 1
KIND_PROBE = 1
KIND_REPLY = 2
TOKEN_SIZE = 8

_HEADER = struct.Struct("!4sBB8s")
_FAMILY_SIZES = {4: 4, 6: 16}
REPLY_MAX_SIZE = _HEADER.size + 3 + 16
PROBE_SIZE = 48


@dataclass(frozen=True)
class Reply:
    """A parsed responder reply: the echoed token and the source it observed."""

    token: bytes
    observed_ip: str
    observed_port: int

    @property
    def observed(self) -> str:
        if ":" in self.observed_ip:
            return f"[{self.observed_ip}]:{self.observed_port}"
        return f"{self.observed_ip}:{self.observed_port}"


def new_token() -> bytes:
    return secrets.token_bytes(TOKEN_SIZE)


def encode_probe(token: bytes, size: int = PROBE_SIZE) -> bytes:
    """Build a probe of `size` bytes (at least the header) carrying `token`."""
    if len(token) != TOKEN_SIZE:
        raise ValueError(f"token must be {TOKEN_SIZE} bytes, got {len(token)}")
    header = _HEADER.pack(MAGIC, VERSION, KIND_PROBE, token)
    return header + bytes(max(0, size - len(header)))


def probe_token(data: bytes) -> bytes | None:
    """Return the token of a probe datagram, or None if `data` is not a probe."""
    if len(data) < _HEADER.size:
        return None
    magic, version, kind, token = _HEADER.unpack_from(data)
    if magic != MAGIC or version != VERSION or kind != KIND_PROBE:
        return None
    return token


def encode_reply(token: bytes, observed_ip: str, observed_port: int) -> bytes:
    """Build the whole reply; the responder cuts it to the probe's size."""
    address = ipaddress.ip_address(observed_ip)
    return (
        _HEADER.pack(MAGIC, VERSION, KIND_REPLY, token)
        + struct.pack("!BH", address.version, observed_port)
        + address.packed
    )


def parse_reply(data: bytes) -> Reply | None:
    """Parse a reply, returning None for anything malformed or truncated."""
    if len(data) < _HEADER.size + 3:
        return None
    magic, version, kind, token = _HEADER.unpack_from(data)
    if magic != MAGIC or version != VERSION or kind != KIND_REPLY:
        return None
    family, port = struct.unpack_from("!BH", data, _HEADER.size)
    size = _FAMILY_SIZES.get(family)
    start = _HEADER.size + 3
    if size is None or len(data) < start + size:
        return None
    address = ipaddress.ip_address(data[start : start + size])
    return Reply(token, str(address), port)
