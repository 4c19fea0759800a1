"""The responder's SIP mirror on UDP and TCP: each request comes back in a response.

Safety rules: a response is never larger than the request it answers, responses
and ACKs get no answer (so two mirrors cannot loop), an INVITE gets a final 603
that opens no dialog, each source is rate-limited, and a TCP connection carries one
request of at most MAX_MESSAGE bytes within TCP_TIMEOUT_S.
"""

from __future__ import annotations

import errno
import logging
import selectors
import socket
import time
from dataclasses import dataclass, field

from app.core import sipmirror
from app.core.sipparse import (
    MAX_MESSAGE,
    SipMessage,
    canonical_name,
    framed_length,
    parse_message,
)
from app.responder.ratelimit import SourceRateLimiter

log = logging.getLogger(__name__)

TCP_TIMEOUT_S = 5.0
MAX_CONNECTIONS = 128
_READS_PER_EVENT = 64
_DROP_LOG_INTERVAL_S = 10.0
_COPIED = ("via", "from", "to", "call-id", "cseq")
_TO_TAG = ";tag=ucnc-mirror"


@dataclass
class SipCounters:
    requests: int = 0
    replied: int = 0
    truncated: int = 0
    invalid: int = 0
    too_small: int = 0
    rate_limited: int = 0
    tcp_timeouts: int = 0
    tcp_rejected: int = 0
    errors: int = 0


def format_source(ip: str, port: int) -> str:
    return f"[{ip}]:{port}" if ":" in ip else f"{ip}:{port}"


def is_mirrorable(message: SipMessage) -> bool:
    """Tell whether the mirror replies to `message`.

    It replies to any request but an ACK, provided it has Via, From, To, Call-ID and
    CSeq.
    """
    if not message.is_request or message.method == "ACK":
        return False
    return all(message.values(name) for name in _COPIED)


def build_response(data: bytes, transport: str, source: str) -> bytes | None:
    """Return the mirror response to the SIP request `data`, or None for no answer.

    The response is at most `len(data)` bytes. It mirrors the longest prefix of the
    request that fits, and None means that not even an empty mirror fits, or that
    `data` is no SIP request with Via, From, To, Call-ID and CSeq, or is an ACK.
    """
    built = mirror_response(data, transport, source)
    return built[0] if built else None


def mirror_response(
    data: bytes, transport: str, source: str
) -> tuple[bytes, int] | None:
    """Return build_response's response and how many request bytes it mirrors."""
    message = parse_message(data)
    if message is None or not is_mirrorable(message):
        return None

    status = "603 Decline" if message.method == "INVITE" else "200 OK"
    lines = [f"SIP/2.0 {status}"]
    for name, value in message.headers:
        canonical = canonical_name(name)
        if canonical not in _COPIED:
            continue
        if canonical == "to" and ";tag=" not in value.lower():
            value += _TO_TAG
        lines.append(f"{name}: {value}")
    lines.append(f"Content-Type: {sipmirror.CONTENT_TYPE}")
    head = "\r\n".join(lines).encode("utf-8")

    def response(mirrored: int) -> bytes:
        body = sipmirror.encode_body(data, transport, source, mirrored)
        return head + b"\r\nContent-Length: %d\r\n\r\n" % len(body) + body

    whole = response(len(data))
    if len(whole) <= len(data):
        return whole, len(data)
    # Compressed sizes grow with the prefix almost monotonically, so a binary search
    # finds a long prefix that fits; each candidate is measured, never estimated.
    best: tuple[bytes, int] | None = None
    low, high = 0, len(data) - 1
    while low <= high:
        middle = (low + high) // 2
        candidate = response(middle)
        if len(candidate) <= len(data):
            best, low = (candidate, middle), middle + 1
        else:
            high = middle - 1
    return best


@dataclass
class _Connection:
    sock: socket.socket
    source: tuple[str, int]
    deadline: float
    inbox: bytearray = field(default_factory=bytearray)
    outbox: bytes = b""


class SipMirror:
    """The mirror's UDP socket, TCP listener and connections.

    Each registers with the responder's selector, with its handler as the key's data.
    """

    def __init__(
        self,
        bind: str,
        port: int,
        family: socket.AddressFamily,
        limiter: SourceRateLimiter,
    ) -> None:
        self.bind = bind
        self.port = port
        self.family = family
        self.limiter = limiter
        self.counters = SipCounters()
        self._selector: selectors.BaseSelector | None = None
        self._udp: socket.socket | None = None
        self._listener: socket.socket | None = None
        self._connections: dict[int, _Connection] = {}

    def open(self, selector: selectors.BaseSelector) -> None:
        """Bind UDP and TCP; raises OSError for the one that failed, naming it."""
        self._selector = selector
        udp = socket.socket(self.family, socket.SOCK_DGRAM)
        self._udp = udp
        udp.setblocking(False)
        try:
            udp.bind((self.bind, self.port))
        except OSError as exc:
            exc.strerror = f"UDP: {exc.strerror or exc}"
            raise
        listener = socket.socket(self.family, socket.SOCK_STREAM)
        self._listener = listener
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.setblocking(False)
        try:
            listener.bind((self.bind, self.port))
            listener.listen(64)
        except OSError as exc:
            exc.strerror = f"TCP: {exc.strerror or exc}"
            raise
        selector.register(udp, selectors.EVENT_READ, self._serve_udp)
        selector.register(listener, selectors.EVENT_READ, self._accept)

    def next_timeout(self, now: float, default: float) -> float:
        """Return how long the selector may wait before a TCP deadline passes."""
        if not self._connections:
            return default
        first = min(conn.deadline for conn in self._connections.values())
        return max(0.0, min(default, first - now))

    def expire(self, now: float) -> None:
        """Close the TCP connections that did not finish within TCP_TIMEOUT_S."""
        for conn in [c for c in self._connections.values() if c.deadline <= now]:
            self.counters.tcp_timeouts += 1
            log.debug(
                "SIP TCP %s: no whole request within %g s, closed",
                format_source(*conn.source),
                TCP_TIMEOUT_S,
            )
            self._close(conn)

    def close(self) -> None:
        for conn in list(self._connections.values()):
            self._close(conn)
        for sock in (self._udp, self._listener):
            if sock is None:
                continue
            if self._selector is not None:
                try:
                    self._selector.unregister(sock)
                except (KeyError, ValueError):
                    pass
            sock.close()
        self._udp = self._listener = None

    def _allow(self, ip: str, transport: str) -> bool:
        if self.limiter.allow(ip):
            return True
        self.counters.rate_limited += 1
        dropped = self.limiter.take_drop_report(
            ip, _DROP_LOG_INTERVAL_S, time.monotonic()
        )
        if dropped:
            log.warning(
                "rate limit: dropped %d SIP %s requests from %s to port %d",
                dropped,
                transport,
                ip,
                self.port,
            )
        return False

    def _answer(self, data: bytes, transport: str, source: tuple[str, int]) -> bytes:
        self.counters.requests += 1
        built = mirror_response(data, transport, format_source(*source))
        if built is None:
            message = parse_message(data)
            if message is None or not is_mirrorable(message):
                self.counters.invalid += 1
            else:
                self.counters.too_small += 1
            return b""
        response, mirrored = built
        if mirrored < len(data):
            self.counters.truncated += 1
        return response

    def _serve_udp(self, sock: socket.socket, mask: int) -> None:
        for _ in range(_READS_PER_EVENT):
            try:
                data, source = sock.recvfrom(MAX_MESSAGE + 1)
            except (BlockingIOError, InterruptedError):
                return
            except OSError as exc:
                if exc.errno not in (errno.ECONNREFUSED, errno.EHOSTUNREACH):
                    log.warning(
                        "SIP UDP %s:%d receive failed: %s", self.bind, self.port, exc
                    )
                continue
            if not self._allow(source[0], "UDP"):
                continue
            response = self._answer(data, "udp", source[:2])
            if not response:
                continue
            try:
                sock.sendto(response, source)
            except OSError as exc:
                self._error(
                    "SIP UDP reply to %s failed: %s", format_source(*source[:2]), exc
                )
                continue
            self.counters.replied += 1

    def _accept(self, listener: socket.socket, mask: int) -> None:
        for _ in range(16):
            try:
                sock, source = listener.accept()
            except (BlockingIOError, InterruptedError):
                return
            except OSError as exc:
                self._error("SIP TCP accept on port %d failed: %s", self.port, exc)
                return
            if len(self._connections) >= MAX_CONNECTIONS:
                self.counters.tcp_rejected += 1
                sock.close()
                continue
            if not self._allow(source[0], "TCP"):
                sock.close()
                continue
            sock.setblocking(False)
            conn = _Connection(sock, source[:2], time.monotonic() + TCP_TIMEOUT_S)
            self._connections[sock.fileno()] = conn
            assert self._selector is not None
            self._selector.register(sock, selectors.EVENT_READ, self._serve_tcp)

    def _serve_tcp(self, sock: socket.socket, mask: int) -> None:
        conn = self._connections.get(sock.fileno())
        if conn is None:
            return
        if conn.outbox:
            self._send(conn)
            return
        try:
            chunk = sock.recv(MAX_MESSAGE + 1 - len(conn.inbox))
        except (BlockingIOError, InterruptedError):
            return
        except OSError as exc:
            log.debug(
                "SIP TCP %s: receive failed: %s", format_source(*conn.source), exc
            )
            self._close(conn)
            return
        if not chunk:
            self._close(conn)
            return
        conn.inbox += chunk

        data = bytes(conn.inbox)
        total = framed_length(data)
        if (total is None and len(data) > MAX_MESSAGE) or (total or 0) > MAX_MESSAGE:
            self.counters.invalid += 1
            log.debug(
                "SIP TCP %s: request over %d bytes, closed",
                format_source(*conn.source),
                MAX_MESSAGE,
            )
            self._close(conn)
            return
        if total is None or len(data) < total:
            return
        conn.outbox = self._answer(data[:total], "tcp", conn.source)
        if not conn.outbox:
            self._close(conn)
            return
        assert self._selector is not None
        self._selector.modify(sock, selectors.EVENT_WRITE, self._serve_tcp)
        self._send(conn)

    def _send(self, conn: _Connection) -> None:
        try:
            sent = conn.sock.send(conn.outbox)
        except (BlockingIOError, InterruptedError):
            return
        except OSError as exc:
            self._error(
                "SIP TCP reply to %s failed: %s", format_source(*conn.source), exc
            )
            self._close(conn)
            return
        conn.outbox = conn.outbox[sent:]
        if not conn.outbox:
            self.counters.replied += 1
            self._close(conn)

    def _close(self, conn: _Connection) -> None:
        self._connections.pop(conn.sock.fileno(), None)
        if self._selector is not None:
            try:
                self._selector.unregister(conn.sock)
            except (KeyError, ValueError):
                pass
        try:
            conn.sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        conn.sock.close()

    def _error(self, message: str, *args: object) -> None:
        self.counters.errors += 1
        if self.counters.errors <= 10 or self.counters.errors % 1000 == 0:
            log.warning(message + " (%d errors so far)", *args, self.counters.errors)
