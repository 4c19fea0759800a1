"""Probe and reply wire format, with hypothesis for the parsers."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from app.core import probe_token


def test_probe_round_trip() -> None:
    token = probe_token.new_token()
    probe = probe_token.encode_probe(token)
    assert len(probe) == probe_token.PROBE_SIZE
    assert probe_token.probe_token(probe) == token


def test_reply_round_trip_ipv4() -> None:
    token = b"12345678"
    reply = probe_token.parse_reply(
        probe_token.encode_reply(token, "198.51.100.1", 4242)
    )
    assert reply is not None
    assert reply.token == token
    assert reply.observed == "198.51.100.1:4242"


def test_reply_round_trip_ipv6() -> None:
    reply = probe_token.parse_reply(
        probe_token.encode_reply(b"abcdefgh", "2001:db8::1", 1)
    )
    assert reply is not None
    assert reply.observed == "[2001:db8::1]:1"


def test_whole_reply_fits_in_a_probe() -> None:
    reply = probe_token.encode_reply(b"abcdefgh", "2001:db8::1", 65535)
    assert len(reply) == probe_token.REPLY_MAX_SIZE
    assert len(reply) <= probe_token.PROBE_SIZE


def test_truncated_reply_is_rejected() -> None:
    reply = probe_token.encode_reply(b"abcdefgh", "198.51.100.1", 4242)
    assert probe_token.parse_reply(reply[:-1]) is None


def test_probe_is_not_a_reply() -> None:
    probe = probe_token.encode_probe(b"abcdefgh")
    assert probe_token.parse_reply(probe) is None


@given(st.binary(max_size=64))
def test_parse_reply_never_raises(data: bytes) -> None:
    reply = probe_token.parse_reply(data)
    assert reply is None or len(reply.token) == probe_token.TOKEN_SIZE


@given(st.binary(max_size=64))
def test_probe_token_never_raises(data: bytes) -> None:
    token = probe_token.probe_token(data)
    assert token is None or data.startswith(probe_token.MAGIC)


@given(st.binary(min_size=8, max_size=8), st.ip_addresses(), st.integers(0, 65535))
def test_reply_round_trip_any_address(token: bytes, address, port: int) -> None:
    reply = probe_token.parse_reply(probe_token.encode_reply(token, str(address), port))
    assert reply is not None
    assert (reply.token, reply.observed_ip, reply.observed_port) == (
        token,
        str(address),
        port,
    )
