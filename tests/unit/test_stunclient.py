"""STUN client against a real coturn on loopback and against hostile servers."""

from __future__ import annotations

import asyncio
import socket
import struct
import time
from collections.abc import Callable, Iterator

import pytest
from aioice import stun
from hypothesis import given
from hypothesis import strategies as st

from app.core import stunclient
from app.core.context import RunContext
from app.core.net import ProbeError
from app.core.stunclient import (
    MAX_MESSAGE_BYTES,
    StunUdpSocket,
    parse_binding_response,
    send_binding_request,
    tcp_binding,
    udp_binding,
)
from tests.profiles import bare_profile
from tests.stunserver import Coturn, coturn


def make_context() -> RunContext:
    return RunContext(bare_profile(), "acme")


@pytest.fixture(scope="module")
def stun_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Coturn]:
    with coturn(tmp_path_factory.mktemp("coturn")) as server:
        yield server


def closed_udp_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# Real coturn


async def test_udp_binding_returns_mapped_address(stun_server: Coturn) -> None:
    result = await udp_binding(("127.0.0.1", stun_server.port), 2.0)
    assert result.error == ""
    assert result.response is not None
    assert result.response.mapped_address == result.local_address
    assert result.response.mapped_address[0] == "127.0.0.1"
    assert result.response.mapped_attribute == "XOR-MAPPED-ADDRESS"
    assert result.attempts == 1
    assert 0 < result.response.rtt_ms < 500


async def test_udp_binding_reports_other_address(stun_server: Coturn) -> None:
    result = await udp_binding(("127.0.0.1", stun_server.port), 2.0)
    assert result.response is not None
    assert result.response.other_address == ("127.0.0.2", stun_server.alt_port)
    assert result.response.response_origin == ("127.0.0.1", stun_server.port)


async def test_change_request_answers_from_other_address(stun_server: Coturn) -> None:
    async with await StunUdpSocket.open(local=("127.0.0.1", 0)) as sock:
        changed = await send_binding_request(
            sock,
            ("127.0.0.1", stun_server.port),
            2.0,
            change_ip=True,
            change_port=True,
        )
        port_only = await send_binding_request(
            sock, ("127.0.0.1", stun_server.port), 2.0, change_port=True
        )
        local = sock.local_address
    assert changed is not None
    assert changed.source == ("127.0.0.2", stun_server.alt_port)
    assert changed.mapped_address == local
    assert port_only is not None
    assert port_only.source == ("127.0.0.1", stun_server.alt_port)


async def test_unbound_socket_reports_port_after_send(stun_server: Coturn) -> None:
    async with await StunUdpSocket.open() as sock:
        response = await send_binding_request(
            sock, ("127.0.0.1", stun_server.port), 2.0
        )
        local = sock.local_address
    assert response is not None
    assert response.mapped_address is not None
    assert local[1] == response.mapped_address[1]


async def test_tcp_binding_returns_mapped_address(stun_server: Coturn) -> None:
    result = await tcp_binding(make_context(), "127.0.0.1", stun_server.port, 2.0)
    assert result.error == ""
    assert result.transport == "tcp"
    assert result.response is not None
    assert result.response.mapped_address == result.local_address
    assert result.response.rtt_ms > 0


async def test_closed_udp_port_gives_icmp_evidence() -> None:
    started = time.monotonic()
    result = await udp_binding(("127.0.0.1", closed_udp_port()), 3.0)
    elapsed = time.monotonic() - started
    assert result.error == "icmp-unreachable"
    assert "nothing listens" in result.detail
    assert elapsed < 0.4
    assert result.attempts == 1


async def test_tcp_binding_to_closed_port_raises_probe_error() -> None:
    with pytest.raises(ProbeError) as caught:
        await tcp_binding(make_context(), "127.0.0.1", closed_udp_port(), 1.0)
    assert caught.value.stage == "tcp"
    assert caught.value.kind == "refused"


# Silent and hostile UDP servers


class ScriptedUdpServer(asyncio.DatagramProtocol):
    """A UDP server that sends back the datagrams `reply` builds from each request."""

    def __init__(self, reply: Callable[[bytes], list[bytes]]) -> None:
        self.reply = reply
        self.requests = 0
        self.transport: asyncio.DatagramTransport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]

    def datagram_received(self, data: bytes, addr: tuple[str, int]) -> None:
        self.requests += 1
        assert self.transport is not None
        for datagram in self.reply(data):
            self.transport.sendto(datagram, addr)


async def start_udp_server(
    reply: Callable[[bytes], list[bytes]],
) -> tuple[asyncio.DatagramTransport, ScriptedUdpServer, int]:
    loop = asyncio.get_running_loop()
    transport, protocol = await loop.create_datagram_endpoint(
        lambda: ScriptedUdpServer(reply), local_addr=("127.0.0.1", 0)
    )
    return transport, protocol, transport.get_extra_info("sockname")[1]


def response_to(request: bytes, **attributes: object) -> stun.Message:
    message = stun.parse_message(request)
    return stun.Message(
        stun.Method.BINDING,
        stun.Class.RESPONSE,
        message.transaction_id,
        dict(attributes) or {"XOR-MAPPED-ADDRESS": ("192.0.2.7", 4242)},
    )


async def test_silent_udp_server_times_out_with_retransmissions() -> None:
    transport, server, port = await start_udp_server(lambda request: [])
    try:
        started = time.monotonic()
        result = await udp_binding(("127.0.0.1", port), 1.7)
        elapsed = time.monotonic() - started
    finally:
        transport.close()
    assert result.error == "timeout"
    # Requests go out at 0, 0.5 and 1.5 s with the RTO of 500 ms doubling.
    assert result.attempts == 3
    assert server.requests == 3
    assert 1.65 <= elapsed < 2.0
    assert result.response is None


def _with_id(
    request: bytes,
    body: bytes,
    *,
    cookie: int = stun.COOKIE,
    length: int | None = None,
    message_type: int = 0x0101,
) -> bytes:
    transaction_id = request[8:20]
    size = len(body) if length is None else length
    return struct.pack("!HHI12s", message_type, size, cookie, transaction_id) + body


HOSTILE_REPLIES: dict[str, tuple[Callable[[bytes], bytes], str]] = {
    "garbage": (lambda request: b"\xff" * 64, "first two bits"),
    "short": (lambda request: request[:12], "shorter than the STUN header"),
    "wrong cookie": (
        lambda request: _with_id(request, b"", cookie=0xDEADBEEF),
        "magic cookie",
    ),
    "wrong transaction id": (
        lambda request: bytes(
            stun.Message(
                stun.Method.BINDING,
                stun.Class.RESPONSE,
                attributes={"XOR-MAPPED-ADDRESS": ("192.0.2.7", 1)},
            )
        ),
        "matches no request",
    ),
    "truncated attribute": (
        lambda request: _with_id(
            request, struct.pack("!HH", 0x0020, 8) + b"\x00\x01" + b"\x00\x00"
        ),
        "runs past the end",
    ),
    "oversized length": (
        lambda request: _with_id(request, b"\x00" * 8, length=60000),
        "exceeds",
    ),
    "length mismatch": (
        lambda request: _with_id(request, b"\x00" * 8, length=16),
        "body bytes",
    ),
    "bad address family": (
        lambda request: _with_id(
            request, struct.pack("!HHBBH4s", 0x0020, 8, 0, 9, 1, b"\x01\x02\x03\x04")
        ),
        "attribute is invalid",
    ),
    "request echoed": (lambda request: request, "not a response"),
}


@pytest.mark.parametrize("case", sorted(HOSTILE_REPLIES))
async def test_hostile_udp_reply_is_ignored(case: str) -> None:
    build, expected_problem = HOSTILE_REPLIES[case]
    transport, _, port = await start_udp_server(lambda request: [build(request)])
    try:
        result = await udp_binding(("127.0.0.1", port), 0.6)
    finally:
        transport.close()
    assert result.error == "timeout"
    assert result.response is None
    assert result.ignored >= 1
    assert expected_problem in result.ignored_problem


async def test_valid_reply_after_garbage_is_accepted() -> None:
    def reply(request: bytes) -> list[bytes]:
        return [b"\x00" * 19, b"\xff" * 40, bytes(response_to(request))]

    transport, _, port = await start_udp_server(reply)
    try:
        result = await udp_binding(("127.0.0.1", port), 1.0)
    finally:
        transport.close()
    assert result.response is not None
    assert result.response.mapped_address == ("192.0.2.7", 4242)
    assert result.ignored == 2


async def test_error_response_is_returned() -> None:
    def reply(request: bytes) -> list[bytes]:
        message = stun.parse_message(request)
        error = stun.Message(
            stun.Method.BINDING,
            stun.Class.ERROR,
            message.transaction_id,
            {"ERROR-CODE": (420, "Unknown attribute")},
        )
        return [bytes(error)]

    transport, _, port = await start_udp_server(reply)
    try:
        result = await udp_binding(("127.0.0.1", port), 1.0)
    finally:
        transport.close()
    assert result.response is not None
    assert result.response.error_code == 420
    assert result.response.error_reason == "Unknown attribute"
    assert not result.response.ok


async def test_mapped_address_fallback_without_xor() -> None:
    def reply(request: bytes) -> list[bytes]:
        return [bytes(response_to(request, **{"MAPPED-ADDRESS": ("192.0.2.8", 99)}))]

    transport, _, port = await start_udp_server(reply)
    try:
        result = await udp_binding(("127.0.0.1", port), 1.0)
    finally:
        transport.close()
    assert result.response is not None
    assert result.response.mapped_address == ("192.0.2.8", 99)
    assert result.response.mapped_attribute == "MAPPED-ADDRESS"


# Hostile TCP servers


async def start_tcp_server(
    handler: Callable[[asyncio.StreamReader, asyncio.StreamWriter], object],
) -> tuple[asyncio.Server, int]:
    server = await asyncio.start_server(handler, "127.0.0.1", 0)  # type: ignore[arg-type]
    return server, server.sockets[0].getsockname()[1]


async def _read_request(reader: asyncio.StreamReader) -> bytes:
    header = await reader.readexactly(20)
    length = struct.unpack("!H", header[2:4])[0]
    return header + await reader.readexactly(length)


async def test_tcp_huge_length_is_rejected_from_header() -> None:
    async def handler(
        reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        request = await _read_request(reader)
        writer.write(_with_id(request, b"", length=65532) + b"\x00" * 4096)
        await writer.drain()
        await asyncio.sleep(2)
        writer.close()

    server, port = await start_tcp_server(handler)
    try:
        started = time.monotonic()
        result = await tcp_binding(make_context(), "127.0.0.1", port, 2.0)
        elapsed = time.monotonic() - started
    finally:
        server.close()
    assert result.error == "invalid-response"
    assert "exceeds" in result.detail
    assert elapsed < 1.0


async def test_tcp_dripping_server_times_out() -> None:
    async def handler(
        reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        request = await _read_request(reader)
        response = bytes(response_to(request))
        for byte in response:
            writer.write(bytes([byte]))
            await writer.drain()
            await asyncio.sleep(0.1)
        writer.close()

    server, port = await start_tcp_server(handler)
    try:
        started = time.monotonic()
        result = await tcp_binding(make_context(), "127.0.0.1", port, 1.0)
        elapsed = time.monotonic() - started
    finally:
        server.close()
    assert result.error == "timeout"
    assert elapsed < 1.3


async def test_tcp_server_closing_early_is_reported() -> None:
    async def handler(
        reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        request = await _read_request(reader)
        writer.write(bytes(response_to(request))[:26])
        await writer.drain()
        writer.close()

    server, port = await start_tcp_server(handler)
    try:
        result = await tcp_binding(make_context(), "127.0.0.1", port, 1.0)
    finally:
        server.close()
    assert result.error == "closed"
    assert "26 bytes" in result.detail


# Parser properties

TRANSACTION_ID = bytes(range(12))


@given(st.binary(max_size=MAX_MESSAGE_BYTES + 64))
def test_parser_never_raises_on_random_bytes(data: bytes) -> None:
    decoded = parse_binding_response(data, TRANSACTION_ID)
    assert (decoded.response is None) == bool(decoded.problem)


@given(st.sampled_from([0x0101, 0x0111]), st.binary(max_size=256))
def test_parser_never_raises_on_random_attributes(
    message_type: int, body: bytes
) -> None:
    padded = body + bytes(-len(body) % 4)
    data = (
        struct.pack("!HHI12s", message_type, len(padded), stun.COOKIE, TRANSACTION_ID)
        + padded
    )
    decoded = parse_binding_response(data, TRANSACTION_ID)
    assert (decoded.response is None) == bool(decoded.problem)


addresses_v4 = st.ip_addresses(v=4).map(str)
addresses_v6 = st.ip_addresses(v=6).map(str)
ports = st.integers(min_value=0, max_value=65535)


@given(
    mapped=st.tuples(addresses_v4 | addresses_v6, ports),
    other=st.tuples(addresses_v4, ports),
    origin=st.tuples(addresses_v4, ports),
    software=st.text(max_size=60),
    fingerprint=st.booleans(),
)
def test_parser_round_trips_valid_response(
    mapped: tuple[str, int],
    other: tuple[str, int],
    origin: tuple[str, int],
    software: str,
    fingerprint: bool,
) -> None:
    message = stun.Message(
        stun.Method.BINDING,
        stun.Class.RESPONSE,
        TRANSACTION_ID,
        {
            "XOR-MAPPED-ADDRESS": mapped,
            "OTHER-ADDRESS": other,
            "RESPONSE-ORIGIN": origin,
            "SOFTWARE": software,
        },
    )
    if fingerprint:
        message.add_fingerprint()
    decoded = parse_binding_response(bytes(message), TRANSACTION_ID, ("192.0.2.1", 1))
    assert decoded.problem == ""
    assert decoded.response is not None
    assert decoded.response.mapped_address == mapped
    assert decoded.response.other_address == other
    assert decoded.response.response_origin == origin
    assert decoded.response.software == software[:200]
    assert decoded.response.source == ("192.0.2.1", 1)


def test_parser_rejects_bad_fingerprint() -> None:
    message = stun.Message(
        stun.Method.BINDING,
        stun.Class.RESPONSE,
        TRANSACTION_ID,
        {"XOR-MAPPED-ADDRESS": ("192.0.2.1", 5)},
    )
    message.add_fingerprint()
    data = bytearray(bytes(message))
    data[-1] ^= 0xFF
    decoded = parse_binding_response(bytes(data), TRANSACTION_ID)
    assert decoded.response is None
    assert "fingerprint" in decoded.problem


def test_parser_ignores_unknown_attribute() -> None:
    message = stun.Message(
        stun.Method.BINDING,
        stun.Class.RESPONSE,
        TRANSACTION_ID,
        {"XOR-MAPPED-ADDRESS": ("192.0.2.1", 5)},
    )
    data = bytes(message)
    extra = struct.pack("!HH", 0x8099, 3) + b"abc\x00"
    patched = data[:2] + struct.pack("!H", len(data) - 20 + len(extra)) + data[4:]
    decoded = parse_binding_response(patched + extra, TRANSACTION_ID)
    assert decoded.response is not None
    assert decoded.response.mapped_address == ("192.0.2.1", 5)


def test_binding_request_sets_change_flags() -> None:
    request = stunclient.binding_request(change_ip=True, change_port=True)
    parsed = stun.parse_message(bytes(request))
    assert parsed.attributes["CHANGE-REQUEST"] == 0x06
