"""QUIC version-negotiation probe and parser."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from app.core import quic


def test_probe_is_1200_byte_long_header() -> None:
    packet, source_cid = quic.encode_probe()
    header = quic.parse_long_header(packet)
    assert len(packet) == quic.MIN_INITIAL_SIZE
    assert header is not None
    assert header.version == quic.RESERVED_VERSION
    assert header.source_cid == source_cid


def test_reserved_version_pattern() -> None:
    # RFC 9000 section 15: versions 0x?a?a?a?a are reserved for negotiation.
    assert quic.RESERVED_VERSION & 0x0F0F0F0F == 0x0A0A0A0A


def test_version_negotiation_swaps_connection_ids() -> None:
    packet, source_cid = quic.encode_probe()
    request = quic.parse_long_header(packet)
    assert request is not None
    reply = quic.encode_version_negotiation(request, (quic.QUIC_V1,))
    parsed = quic.parse_version_negotiation(reply)
    assert parsed is not None
    assert parsed.destination_cid == source_cid
    assert parsed.source_cid == request.destination_cid
    assert parsed.versions == (quic.QUIC_V1,)


def test_probe_is_not_version_negotiation() -> None:
    packet, _ = quic.encode_probe()
    assert quic.parse_version_negotiation(packet) is None


@given(st.binary(max_size=1300))
def test_parsers_never_raise(data: bytes) -> None:
    header = quic.parse_long_header(data)
    negotiation = quic.parse_version_negotiation(data)
    assert header is None or len(header.destination_cid) <= 20
    assert negotiation is None or len(negotiation.versions) >= 1
