"""STUN binding transactions (RFC 5389) over UDP and TCP, on aioice's message codec.

Every datagram or stream read is bounded: a message longer than MAX_MESSAGE_BYTES is
rejected from its header, and a transaction never outlives its timeout. Responses that
are malformed or belong to another transaction are ignored and counted, and no
exception escapes for them (the parser is fuzzed with hypothesis).
"""

from __future__ import annotations

import asyncio
import logging
import socket
import struct
import time
from dataclasses import dataclass, replace
from types import TracebackType
from typing import Any, Self, cast

from aioice import stun

from app.core.context import RunContext
from app.core.net import open_tcp

log = logging.getLogger(__name__)

Address = tuple[str, int]

HEADER_BYTES = stun.HEADER_LENGTH
# A binding response carries a few addresses and a SOFTWARE text, far below this bound.
MAX_MESSAGE_BYTES = 2048
# RFC 5389 section 7.2.1: initial RTO 500 ms doubling, at most Rc = 7 requests, and
# a final wait of Rm = 16 times the initial RTO after the last request.
RTO_S = 0.5
MAX_REQUESTS = 7
FINAL_WAIT_FACTOR = 16

CHANGE_IP = 0x04
CHANGE_PORT = 0x02

_BINDING_RESPONSE_CLASSES = (stun.Class.RESPONSE, stun.Class.ERROR)
_PARSE_ERRORS = (ValueError, struct.error, IndexError, TypeError, OverflowError)


def format_address(address: Address) -> str:
    """Return "ip:port", with brackets around an IPv6 address."""
    host, port = address
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


@dataclass(frozen=True)
class BindingResponse:
    """A STUN binding response (success or error) that matched its request."""

    source: Address
    mapped_address: Address | None = None
    # "XOR-MAPPED-ADDRESS", or "MAPPED-ADDRESS" from an RFC 3489 server, or "".
    mapped_attribute: str = ""
    other_address: Address | None = None
    response_origin: Address | None = None
    error_code: int | None = None
    error_reason: str = ""
    software: str = ""
    rtt_ms: float = 0.0

    @property
    def ok(self) -> bool:
        return self.error_code is None and self.mapped_address is not None


@dataclass(frozen=True)
class DecodedResponse:
    """The result of parsing one message: a response, or the problem that voids it."""

    response: BindingResponse | None
    problem: str = ""


@dataclass(frozen=True)
class BindingResult:
    """One binding transaction: the response, or why none came back.

    `error` is "" on a response, else one of: timeout, icmp-unreachable (an ICMP port
    unreachable came back, so nothing listens and the path is open), unreachable,
    invalid-response, closed (TCP), error.
    """

    transport: str
    server: Address
    attempts: int
    elapsed_ms: float
    response: BindingResponse | None = None
    error: str = ""
    detail: str = ""
    local_address: Address | None = None
    ignored: int = 0
    ignored_problem: str = ""


def binding_request(change_ip: bool = False, change_port: bool = False) -> stun.Message:
    """Build a binding request, with CHANGE-REQUEST (RFC 5780) if a flag is set."""
    attributes: dict[str, Any] = {}
    flags = (CHANGE_IP if change_ip else 0) | (CHANGE_PORT if change_port else 0)
    if flags:
        attributes["CHANGE-REQUEST"] = flags
    return stun.Message(stun.Method.BINDING, stun.Class.REQUEST, attributes=attributes)


def header_problem(header: bytes, transaction_id: bytes) -> str:
    """Return why `header` cannot start a response to `transaction_id`, or ""."""
    if len(header) < HEADER_BYTES:
        return f"the message is {len(header)} bytes, shorter than the STUN header"
    message_type, length, cookie, received_id = struct.unpack(
        "!HHI12s", header[:HEADER_BYTES]
    )
    if message_type & 0xC000:
        return "the first two bits are not zero, so it is not a STUN message"
    if cookie != stun.COOKIE:
        return f"the magic cookie is 0x{cookie:08x}, not 0x{stun.COOKIE:08x}"
    if received_id != transaction_id:
        return "the transaction ID does not match the request"
    if message_type & 0x3EEF != stun.Method.BINDING:
        return f"the method 0x{message_type & 0x3EEF:03x} is not binding"
    if message_type & 0x0110 not in _BINDING_RESPONSE_CLASSES:
        return "the message is a request or an indication, not a response"
    if length % 4:
        return f"the length {length} is not a multiple of 4"
    if HEADER_BYTES + length > MAX_MESSAGE_BYTES:
        return f"the length {length} exceeds the {MAX_MESSAGE_BYTES}-byte limit"
    return ""


def _attributes_problem(data: bytes) -> str:
    """Return why the attributes do not exactly fill the message body, or ""."""
    position = HEADER_BYTES
    while position < len(data):
        if len(data) - position < 4:
            return f"an attribute header at byte {position} is truncated"
        attribute_type, length = struct.unpack("!HH", data[position : position + 4])
        end = position + 4 + length + stun.padding_length(length)
        if end > len(data):
            return (
                f"attribute 0x{attribute_type:04x} of {length} bytes at byte "
                f"{position} runs past the end of the message"
            )
        position = end
    return ""


def _address(value: Any) -> Address | None:
    if isinstance(value, tuple) and len(value) == 2:
        return (str(value[0]), int(value[1]))
    return None


def parse_binding_response(
    data: bytes, transaction_id: bytes, source: Address = ("", 0)
) -> DecodedResponse:
    """Parse `data` as the binding response to `transaction_id`; never raises."""
    problem = header_problem(data, transaction_id)
    if problem:
        return DecodedResponse(None, problem)
    length = struct.unpack("!H", data[2:4])[0]
    if len(data) != HEADER_BYTES + length:
        return DecodedResponse(
            None,
            f"the header gives {length} body bytes but {len(data) - HEADER_BYTES} "
            "follow",
        )
    problem = _attributes_problem(data)
    if problem:
        return DecodedResponse(None, problem)

    try:
        message = stun.parse_message(data)
    except _PARSE_ERRORS as exc:
        return DecodedResponse(None, f"an attribute is invalid ({exc})")

    attributes = message.attributes
    mapped_attribute = ""
    mapped = _address(attributes.get("XOR-MAPPED-ADDRESS"))
    if mapped is not None:
        mapped_attribute = "XOR-MAPPED-ADDRESS"
    else:
        mapped = _address(attributes.get("MAPPED-ADDRESS"))
        mapped_attribute = "MAPPED-ADDRESS" if mapped is not None else ""

    error_code = None
    error_reason = ""
    if message.message_class == stun.Class.ERROR:
        error = attributes.get("ERROR-CODE")
        error_code, error_reason = error if error else (0, "no ERROR-CODE attribute")
    software = attributes.get("SOFTWARE", "")

    response = BindingResponse(
        source=source,
        mapped_address=mapped,
        mapped_attribute=mapped_attribute,
        other_address=_address(attributes.get("OTHER-ADDRESS")),
        response_origin=_address(attributes.get("RESPONSE-ORIGIN")),
        error_code=error_code,
        error_reason=str(error_reason).rstrip("\x00 ")[:200],
        software=str(software)[:200],
    )
    return DecodedResponse(response)


class _StunDatagramProtocol(asyncio.DatagramProtocol):
    """Matches datagrams to pending transactions by transaction ID."""

    def __init__(self) -> None:
        self.transport: asyncio.DatagramTransport | None = None
        self.pending: dict[bytes, asyncio.Future[tuple[BindingResponse, float]]] = {}
        self.ignored = 0
        self.ignored_problem = ""

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = cast(asyncio.DatagramTransport, transport)

    def datagram_received(self, data: bytes, addr: tuple[Any, ...]) -> None:
        received_at = time.monotonic()
        source = (str(addr[0]), int(addr[1]))
        transaction_id = data[8:HEADER_BYTES]
        future = self.pending.get(transaction_id)
        if future is None:
            problem = header_problem(data, transaction_id)
            self._ignore(source, problem or "the transaction ID matches no request")
            return
        decoded = parse_binding_response(data, transaction_id, source)
        if decoded.response is None:
            self._ignore(source, decoded.problem)
            return
        if not future.done():
            future.set_result((decoded.response, received_at))

    def _ignore(self, source: Address, problem: str) -> None:
        self.ignored += 1
        self.ignored_problem = problem
        if self.ignored <= 3:
            log.info("STUN %s: ignored a datagram: %s", format_address(source), problem)

    def error_received(self, exc: Exception) -> None:
        # On a connected socket an ICMP port unreachable arrives here as
        # ConnectionRefusedError; other ICMP errors and send errors are OSErrors.
        for future in self.pending.values():
            if not future.done():
                future.set_exception(exc)


class StunUdpSocket:
    """A UDP socket for binding transactions.

    Connected to `remote` if given, so that ICMP errors from that address are
    reported. Unconnected otherwise, so responses from any source address are
    accepted (responses to an RFC 5780 CHANGE-REQUEST come from the other address or port).
    """

    def __init__(
        self,
        transport: asyncio.DatagramTransport,
        protocol: _StunDatagramProtocol,
        connected: bool,
    ) -> None:
        self._transport = transport
        self._protocol = protocol
        self._connected = connected

    @classmethod
    async def open(
        cls,
        *,
        local: Address | None = None,
        remote: Address | None = None,
        family: int = 0,
    ) -> StunUdpSocket:
        """Open the socket; raises OSError if it cannot be bound or connected."""
        if family == 0:
            probe = (remote or local or ("0.0.0.0", 0))[0]
            family = socket.AF_INET6 if ":" in probe else socket.AF_INET
        loop = asyncio.get_running_loop()
        transport, protocol = await loop.create_datagram_endpoint(
            _StunDatagramProtocol, local_addr=local, remote_addr=remote, family=family
        )
        return cls(transport, protocol, remote is not None)

    @property
    def local_address(self) -> Address:
        # Read it from the socket each time, because an unbound socket gets its
        # port only at the first send, after the transport cached "sockname".
        name = self._transport.get_extra_info("socket").getsockname()
        return (str(name[0]), int(name[1]))

    def close(self) -> None:
        self._transport.close()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    async def transact(
        self,
        server: Address,
        timeout_s: float,
        *,
        change_ip: bool = False,
        change_port: bool = False,
        max_requests: int = MAX_REQUESTS,
    ) -> BindingResult:
        """Send a binding request to `server`, retransmitting until a response.

        Retransmissions follow RFC 5389 (RTO 500 ms, doubling) and stop at
        `timeout_s` or after `max_requests` and the final wait. All requests share one
        transaction ID, so the RTT is measured from the latest request sent before
        the response arrived.
        """
        request = binding_request(change_ip, change_port)
        data = bytes(request)
        loop = asyncio.get_running_loop()
        future: asyncio.Future[tuple[BindingResponse, float]] = loop.create_future()
        self._protocol.pending[request.transaction_id] = future
        ignored_before = self._protocol.ignored
        started = time.monotonic()
        deadline = started + timeout_s
        sent_at: list[float] = []

        def result(**fields: Any) -> BindingResult:
            ignored = self._protocol.ignored - ignored_before
            return BindingResult(
                transport="udp",
                server=server,
                attempts=len(sent_at),
                elapsed_ms=round((time.monotonic() - started) * 1000, 1),
                local_address=self.local_address,
                ignored=ignored,
                ignored_problem=self._protocol.ignored_problem if ignored else "",
                **fields,
            )

        try:
            for attempt in range(max_requests):
                now = time.monotonic()
                if now >= deadline:
                    break
                self._transport.sendto(data, None if self._connected else server)
                sent_at.append(now)
                if attempt < max_requests - 1:
                    wait = RTO_S * 2**attempt
                else:
                    wait = FINAL_WAIT_FACTOR * RTO_S
                await asyncio.wait({future}, timeout=min(wait, deadline - now))
                if future.done():
                    break
        finally:
            self._protocol.pending.pop(request.transaction_id, None)

        if not future.done():
            future.cancel()
            log.info(
                "STUN %s/udp: no response to %d requests in %.1f s",
                format_address(server),
                len(sent_at),
                time.monotonic() - started,
            )
            return result(error="timeout")
        error = future.exception()
        if isinstance(error, ConnectionRefusedError):
            log.info("STUN %s/udp: ICMP port unreachable", format_address(server))
            return result(
                error="icmp-unreachable",
                detail="ICMP port unreachable: nothing listens, path open",
            )
        if error is not None:
            log.info("STUN %s/udp: %s", format_address(server), error)
            kind = "unreachable" if isinstance(error, OSError) else "error"
            return result(error=kind, detail=_os_error_text(error))

        response, received_at = future.result()
        latest_send = max(t for t in sent_at if t <= received_at)
        rtt_ms = round((received_at - latest_send) * 1000, 2)
        return result(response=replace(response, rtt_ms=rtt_ms))


def _os_error_text(error: BaseException) -> str:
    if isinstance(error, OSError) and error.strerror:
        return error.strerror
    return str(error) or type(error).__name__


async def send_binding_request(
    sock: StunUdpSocket,
    server: Address,
    timeout_s: float,
    *,
    change_ip: bool = False,
    change_port: bool = False,
) -> BindingResponse | None:
    """Run one binding transaction from `sock` to `server` for RFC 5780 tests.

    Returns the response (an error response included, see `error_code`) or None if
    none came back within `timeout_s`.
    """
    result = await sock.transact(
        server, timeout_s, change_ip=change_ip, change_port=change_port
    )
    return result.response


async def udp_binding(server: Address, timeout_s: float) -> BindingResult:
    """Run one binding transaction over UDP from a new socket connected to `server`."""
    started = time.monotonic()
    try:
        sock = await StunUdpSocket.open(remote=server)
    except OSError as exc:
        log.info("STUN %s/udp: socket failed: %s", format_address(server), exc)
        return BindingResult(
            "udp",
            server,
            0,
            round((time.monotonic() - started) * 1000, 1),
            error="unreachable",
            detail=_os_error_text(exc),
        )
    async with sock:
        return await sock.transact(server, max(0.0, timeout_s))


async def tcp_binding(
    ctx: RunContext, host: str, port: int, timeout_s: float
) -> BindingResult:
    """Run one binding transaction over TCP (RFC 5389 framing, nothing added).

    Raises ProbeError (from `open_tcp`) if `host` does not resolve or the TCP
    connection fails. The response read is bounded by MAX_MESSAGE_BYTES and by the
    time left of `timeout_s`.
    """
    started = time.monotonic()
    connection = await open_tcp(ctx, host, port, timeout_s)
    server = (connection.address, port)
    name = connection.writer.get_extra_info("sockname")
    local = (str(name[0]), int(name[1])) if name else None

    def result(**fields: Any) -> BindingResult:
        return BindingResult(
            transport="tcp",
            server=server,
            attempts=1,
            elapsed_ms=round((time.monotonic() - started) * 1000, 1),
            local_address=local,
            **fields,
        )

    request = binding_request()
    received = 0
    try:
        remaining = max(0.0, timeout_s - (time.monotonic() - started))
        async with asyncio.timeout(remaining):
            sent_at = time.monotonic()
            connection.writer.write(bytes(request))
            await connection.writer.drain()

            header = await connection.reader.readexactly(HEADER_BYTES)
            received = len(header)
            problem = header_problem(header, request.transaction_id)
            if problem:
                return _tcp_invalid(result, server, problem)
            length = struct.unpack("!H", header[2:4])[0]
            body = await connection.reader.readexactly(length)
            received_at = time.monotonic()
    except TimeoutError:
        log.info(
            "STUN %s/tcp: no response in %.1f s", format_address(server), timeout_s
        )
        return result(error="timeout", detail=f"{received} bytes received")
    except asyncio.IncompleteReadError as exc:
        log.info(
            "STUN %s/tcp: closed after %d bytes",
            format_address(server),
            received + len(exc.partial),
        )
        return result(
            error="closed", detail=f"closed after {received + len(exc.partial)} bytes"
        )
    except OSError as exc:
        log.info("STUN %s/tcp: %s", format_address(server), exc)
        return result(error="closed", detail=_os_error_text(exc))
    finally:
        await connection.close()

    decoded = parse_binding_response(header + body, request.transaction_id, server)
    if decoded.response is None:
        return _tcp_invalid(result, server, decoded.problem)
    rtt_ms = round((received_at - sent_at) * 1000, 2)
    return result(response=replace(decoded.response, rtt_ms=rtt_ms))


def _tcp_invalid(result: Any, server: Address, problem: str) -> BindingResult:
    log.info("STUN %s/tcp: invalid response: %s", format_address(server), problem)
    return result(
        error="invalid-response", detail=problem, ignored=1, ignored_problem=problem
    )
