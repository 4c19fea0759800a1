"""Wire format of the responder's SIP mirror: the request as received, in a response.

The mirror response copies Via, From, To, Call-ID and CSeq from the request, so that
NAT devices and SIP ALGs let it back to the sender. Its body is base64 text (one
line, so that no SIP ALG takes a line of it for SDP) of a zlib-compressed envelope:

    UCNC-MIRROR/1
    transport: udp
    source: 198.51.100.1:5060
    length: 1300
    sha256: <the first 32 hex digits of the SHA-256 of the whole request>
    mirrored: 1300

followed by a blank line and the first `mirrored` bytes of the request. The
responder never sends more bytes than the request had: it mirrors a shorter prefix
when the whole request would not fit, and the digest still tells whether the request
arrived unchanged. Compression is what lets a whole request fit, because the
sender's padding compresses to almost nothing.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import zlib
from dataclasses import dataclass

from app.core.sipparse import MAX_MESSAGE

CONTENT_TYPE = "application/x-ucontact-mirror"
MAGIC = "UCNC-MIRROR/1"
DIGEST_HEX = 32
# The decompressed envelope is at most one request plus its short header lines.
MAX_ENVELOPE = MAX_MESSAGE + 512


@dataclass(frozen=True)
class Mirror:
    """The request as the responder received it, with its transport and source."""

    transport: str
    source: str
    length: int
    digest: str
    request: bytes

    @property
    def truncated(self) -> bool:
        return len(self.request) < self.length

    def matches(self, sent: bytes) -> bool:
        """Tell whether `sent` is byte for byte the request the responder received."""
        return self.length == len(sent) and digest_of(sent) == self.digest


def digest_of(request: bytes) -> str:
    return hashlib.sha256(request).hexdigest()[:DIGEST_HEX]


def encode_body(request: bytes, transport: str, source: str, mirrored: int) -> bytes:
    """Return the base64 body that mirrors the first `mirrored` bytes of `request`."""
    envelope = (
        f"{MAGIC}\r\n"
        f"transport: {transport}\r\n"
        f"source: {source}\r\n"
        f"length: {len(request)}\r\n"
        f"sha256: {digest_of(request)}\r\n"
        f"mirrored: {mirrored}\r\n"
        "\r\n"
    ).encode("ascii") + request[:mirrored]
    return base64.b64encode(zlib.compress(envelope, 9))


def decode_body(body: bytes) -> Mirror | None:
    """Parse a mirror body, returning None for anything malformed or oversized."""
    if len(body) > MAX_MESSAGE:
        return None
    try:
        compressed = base64.b64decode(body.strip(), validate=True)
    except (binascii.Error, ValueError):
        return None
    inflater = zlib.decompressobj()
    try:
        envelope = inflater.decompress(compressed, MAX_ENVELOPE)
    except zlib.error:
        return None
    if inflater.unconsumed_tail or not inflater.eof:
        return None
    return _parse_envelope(envelope)


def _parse_envelope(envelope: bytes) -> Mirror | None:
    head, separator, request = envelope.partition(b"\r\n\r\n")
    if not separator:
        return None
    try:
        lines = head.decode("ascii").split("\r\n")
    except UnicodeDecodeError:
        return None
    if lines[0] != MAGIC:
        return None
    fields: dict[str, str] = {}
    for line in lines[1:]:
        name, colon, value = line.partition(": ")
        if not colon:
            return None
        fields[name] = value
    try:
        length = int(fields["length"])
        mirrored = int(fields["mirrored"])
        mirror = Mirror(
            fields["transport"], fields["source"], length, fields["sha256"], request
        )
    except (KeyError, ValueError):
        return None
    if mirrored != len(request) or not 0 <= mirrored <= length <= MAX_MESSAGE:
        return None
    return mirror
