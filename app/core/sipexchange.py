"""SIP transactions with the responder's mirror over UDP and TCP, bounded in time and size.

Each exchange sends one request built by `sipprobe`, reads one response of at most
MAX_MESSAGE bytes, decodes the mirror in its body and compares it with what was
sent. Network conditions become an Exchange state, never an exception.
"""

from __future__ import annotations

import asyncio
import logging
import socket
import time
from dataclasses import dataclass, field
from typing import Any

from app.core import sipmirror
from app.core.context import RunContext
from app.core.net import ProbeError, open_tcp
from app.core.sipparse import MAX_MESSAGE, framed_length, parse_message
from app.core.sipprobe import Difference, SipRequest, build_request, compare

log = logging.getLogger(__name__)

MIRRORED = "mirrored"
SILENT = "silent"
REFUSED = "refused"
NO_CONNECTION = "no-connection"
NOT_MIRROR = "not-mirror"
ERROR = "error"


@dataclass
class Exchange:
    """One request sent to the mirror and what came back."""

    transport: str
    method: str
    state: str
    detail: str = ""
    local: str = ""
    local_port: int = 0
    rtt_ms: float | None = None
    status: str | None = None
    observed: str | None = None
    identical: bool = False
    truncated: bool = False
    sent_bytes: int = 0
    arrived_bytes: int = 0
    differences: list[Difference] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "transport": self.transport,
            "method": self.method,
            "state": self.state,
            "detail": self.detail,
            "local": self.local,
            "rtt_ms": self.rtt_ms,
            "status": self.status,
            "observed": self.observed,
            "identical": self.identical,
            "truncated": self.truncated,
            "sent_bytes": self.sent_bytes,
            "arrived_bytes": self.arrived_bytes,
            "differences": [difference.as_dict() for difference in self.differences],
        }


def _hostport(ip: str, port: int) -> str:
    return f"[{ip}]:{port}" if ":" in ip else f"{ip}:{port}"


def evaluate(
    request: SipRequest, data: bytes, transport: str, exchange: Exchange
) -> bool:
    """Fill `exchange` from `data` and return True if it is the response to `request`.

    A response matches by Call-ID or by the CSeq method, because an ALG may rewrite
    the Call-ID. A matching response without a mirror body is a SIP server's own.
    """
    message = parse_message(data)
    if message is None or message.is_request:
        return False
    cseq = (message.first("cseq") or "").split()
    matches = request.call_id in message.values("call-id") or (
        cseq[-1:] == [request.method]
    )
    if not matches:
        return False

    exchange.status = message.start_line.removeprefix("SIP/2.0 ")[:80]
    mirror = sipmirror.decode_body(message.body)
    if mirror is None:
        exchange.state = NOT_MIRROR
        exchange.detail = (
            f"a SIP server answered {exchange.status!r} without the responder's mirror"
        )
        return True
    exchange.state = MIRRORED
    exchange.observed = mirror.source
    exchange.truncated = mirror.truncated
    exchange.arrived_bytes = mirror.length
    exchange.identical = mirror.matches(request.data)
    if not exchange.identical:
        exchange.differences = compare(
            request.data, mirror.request, complete=not mirror.truncated
        )
    exchange.detail = (
        "arrived unchanged" if exchange.identical else "arrived rewritten"
    ) + (" (mirror truncated)" if mirror.truncated else "")
    return True


async def udp_exchanges(
    address: str,
    host: str,
    port: int,
    local_port: int,
    methods: tuple[str, ...],
    wait_s: float,
    retries: int,
) -> list[Exchange]:
    """Send each of `methods` in turn over UDP, from `local_port` when it is free.

    The next method is sent only after the mirror returned the previous one, so an
    INVITE never goes to a SIP server that is not the responder.
    """
    family = socket.AF_INET6 if ":" in address else socket.AF_INET
    anywhere = "::" if family == socket.AF_INET6 else "0.0.0.0"
    sock = socket.socket(family, socket.SOCK_DGRAM)
    try:
        try:
            sock.bind((anywhere, local_port))
        except OSError as exc:
            log.info(
                "UDP local port %d is in use (%s), so the OS picks one", local_port, exc
            )
            sock.bind((anywhere, 0))
        sock.setblocking(False)
        sock.connect((address, port))
        local_ip, bound_port = sock.getsockname()[:2]
    except OSError as exc:
        sock.close()
        detail = (
            f"UDP socket to {_hostport(address, port)} failed: {exc.strerror or exc}"
        )
        return [Exchange("udp", methods[0], ERROR, detail)]

    results: list[Exchange] = []
    try:
        for method in methods:
            request = build_request(method, "udp", (local_ip, bound_port), (host, port))
            exchange = await _udp_transaction(sock, request, wait_s, retries)
            exchange.local = _hostport(local_ip, bound_port)
            exchange.local_port = bound_port
            results.append(exchange)
            log.debug("SIP UDP %s to %s:%d: %s", method, host, port, exchange.detail)
            if exchange.state != MIRRORED:
                break
    finally:
        sock.close()
    return results


async def _udp_transaction(
    sock: socket.socket, request: SipRequest, wait_s: float, retries: int
) -> Exchange:
    loop = asyncio.get_running_loop()
    exchange = Exchange("udp", request.method, SILENT, sent_bytes=len(request.data))
    for _ in range(retries + 1):
        sent_at = time.perf_counter()
        try:
            await loop.sock_sendall(sock, request.data)
        except ConnectionRefusedError:
            exchange.state = REFUSED
            exchange.detail = "ICMP port unreachable: nothing listens there"
            return exchange
        except OSError as exc:
            exchange.state = ERROR
            exchange.detail = f"sending failed: {exc.strerror or exc}"
            return exchange
        deadline = loop.time() + wait_s
        while (remaining := deadline - loop.time()) > 0:
            try:
                async with asyncio.timeout(remaining):
                    data = await loop.sock_recv(sock, MAX_MESSAGE + 1)
            except TimeoutError:
                break
            except ConnectionRefusedError:
                exchange.state = REFUSED
                exchange.detail = "ICMP port unreachable: nothing listens there"
                return exchange
            except OSError as exc:
                exchange.state = ERROR
                exchange.detail = f"receiving failed: {exc.strerror or exc}"
                return exchange
            if evaluate(request, data, "udp", exchange):
                exchange.rtt_ms = round((time.perf_counter() - sent_at) * 1000, 1)
                return exchange
    exchange.detail = f"no answer to {retries + 1} requests"
    return exchange


async def tcp_exchange(
    ctx: RunContext, host: str, port: int, method: str, timeout_s: float
) -> Exchange:
    """Send `method` over a new TCP connection and read one response.

    Connecting, sending and reading share `timeout_s`.
    """
    exchange = Exchange("tcp", method, NO_CONNECTION)
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout_s
    try:
        connection = await open_tcp(ctx, host, port, timeout_s)
    except ProbeError as error:
        exchange.detail = error.message
        return exchange
    try:
        local_ip, local_port = connection.writer.get_extra_info("sockname")[:2]
        exchange.local = _hostport(local_ip, local_port)
        exchange.local_port = local_port
        request = build_request(method, "tcp", (local_ip, local_port), (host, port))
        exchange.sent_bytes = len(request.data)
        sent_at = time.perf_counter()
        connection.writer.write(request.data)
        async with asyncio.timeout_at(deadline):
            await connection.writer.drain()
            data = await _read_message(connection.reader)
        exchange.rtt_ms = round((time.perf_counter() - sent_at) * 1000, 1)
    except TimeoutError:
        exchange.state = SILENT
        exchange.detail = f"no whole response within {timeout_s:g} s"
        return exchange
    except OSError as exc:
        exchange.state = ERROR
        exchange.detail = f"the connection failed: {exc.strerror or exc}"
        return exchange
    finally:
        await connection.close()

    if not data:
        exchange.state = SILENT
        exchange.detail = "the server closed the connection without a response"
    elif not evaluate(request, data, "tcp", exchange):
        exchange.state = NOT_MIRROR
        exchange.detail = f"the answer was no SIP response to it ({len(data)} bytes)"
    log.debug("SIP TCP %s to %s:%d: %s", method, host, port, exchange.detail)
    return exchange


async def _read_message(reader: asyncio.StreamReader) -> bytes:
    """Read one SIP message framed by Content-Length, at most MAX_MESSAGE bytes.

    Returns what was read when the peer closes early or the limit is passed.
    """
    data = b""
    while len(data) <= MAX_MESSAGE:
        total = framed_length(data)
        if total is not None and len(data) >= total:
            return data[:total]
        chunk = await reader.read(MAX_MESSAGE + 1 - len(data))
        if not chunk:
            return data
        data += chunk
    return data
