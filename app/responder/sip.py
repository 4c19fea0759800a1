"""The responder's SIP mirror on UDP and TCP: each request comes back in a response.

Safety rules: a response is never larger than the request it answers, responses
and ACKs get no answer (so two mirrors cannot loop), an INVITE gets a final 603
that opens no dialog, each source is rate-limited, and a TCP connection carries one
request of at most MAX_MESSAGE bytes within TCP_TIMEOUT_S. At most MAX_CONNECTIONS
are open at once, and at most MAX_CONNECTIONS_PER_SOURCE from one source address.
"""

from __future__ import annotations

import errno
import logging
import selectors
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from app.core import sipmirror
from app.core.sipparse import (
    MAX_MESSAGE,
    SipMessage,
    canonical_name,
    framed_length,
    parse_message,
)
from app.responder.ratelimit import RepeatCounter, SourceRateLimiter

log = logging.getLogger(__name__)

TCP_TIMEOUT_S = 5.0
MAX_CONNECTIONS = 128
MAX_CONNECTIONS_PER_SOURCE = 4
# The UDP socket and the TCP listener, beside one descriptor per connection.
FILES_NEEDED = MAX_CONNECTIONS + 2
# How long the listener is left unwatched after accept() ran out of descriptors.
ACCEPT_PAUSE_S = 1.0
REPEAT_LOG_INTERVAL_S = 10.0
_READS_PER_EVENT = 64
_ACCEPT_OUT_OF_FILES = (errno.EMFILE, errno.ENFILE, errno.ENOBUFS, errno.ENOMEM)
# An upper bound on the envelope's header lines (sipmirror.encode_body) beside the
# transport and source strings: magic, field names, two lengths, 32 hex digits.
_ENVELOPE_HEAD_MAX = 160
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
    tcp_rejected_per_source: int = 0
    accept_paused: int = 0
    errors: int = 0


# The noun phrase, singular and plural, that each kind of repeated event counts.
_REPEAT_EVENTS = {
    "rate": ("request dropped by the rate limit", "requests dropped by the rate limit"),
    "invalid": ("invalid request", "invalid requests"),
    "timeout": ("TCP timeout", "TCP timeouts"),
    "full": (
        "TCP connection rejected over the maximum",
        "TCP connections rejected over the maximum",
    ),
    "source": (
        "TCP connection rejected over the per-source maximum",
        "TCP connections rejected over the per-source maximum",
    ),
    "accept": ("failed TCP accept", "failed TCP accepts"),
}
_WARNED = frozenset({"rate", "full", "source", "accept"})


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """Write "1 datagram" or "2 datagrams"; `plural_form` defaults to singular + s."""
    if count == 1:
        return f"{count} {singular}"
    return f"{count} {plural_form or singular + 's'}"


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
    return _fit_prefix(data, len(head), len(whole), transport, source, response)


def _fit_prefix(
    data: bytes,
    head_size: int,
    whole_size: int,
    transport: str,
    source: str,
    response: Callable[[int], bytes],
) -> tuple[bytes, int] | None:
    """Return the response with a long request prefix that fits, or None.

    Each try compresses once (at most five tries), and every returned candidate is
    measured, never estimated. The first try scales the prefix by the room over the
    whole response's size, which suits a request that compresses evenly, and the
    next two follow the secant through the last two sizes measured. The fallback
    sizes the prefix by zlib's compressBound, the worst case for data that does
    not compress, so it fits unless the envelope format outgrew _ENVELOPE_HEAD_MAX.
    """
    # The Content-Length digits of `len(data)` bound those of any shorter body.
    fixed = head_size + len(b"\r\nContent-Length: %d\r\n\r\n" % len(data))
    room = len(data) - fixed
    if room <= 0:
        return None
    overhead = _ENVELOPE_HEAD_MAX + len(transport) + len(source)
    # base64 writes 4 characters per 3 bytes, rounding up.
    compressed_room = room // 4 * 3
    bounded = compressed_room - overhead - 13
    bounded -= (compressed_room >> 12) + (compressed_room >> 14) + 1
    bounded = min(max(bounded, 0), len(data) - 1)
    scaled = len(data) * room // max(1, whole_size - fixed) - 1

    # Secant steps through the last two measured sizes, with a 10 % margin.
    # NOTE: after padding that compresses to nothing the slope is about 0, so a
    # short padded request falls back to the bound and mirrors fewer bytes than fit.
    known = (len(data), whole_size)
    mirrored = scaled
    for _ in range(3):
        if mirrored <= bounded:
            break
        candidate = response(mirrored)
        if len(candidate) <= len(data):
            return candidate, mirrored
        slope = (known[1] - len(candidate)) / max(1, known[0] - mirrored)
        if slope <= 0:
            break
        known = (mirrored, len(candidate))
        mirrored -= int((len(candidate) - len(data)) / slope * 1.1) + 1
    for mirrored in (bounded, 0):
        candidate = response(mirrored)
        if len(candidate) <= len(data):
            return candidate, mirrored
    return None


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
        self._per_source: dict[str, int] = {}
        # When the paused listener is watched again; 0.0 while it is watched.
        self._accept_resumes = 0.0
        self._repeats: RepeatCounter[tuple[str, str]] = RepeatCounter(
            REPEAT_LOG_INTERVAL_S
        )

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
        """Return how long the selector may wait before a deadline passes.

        The deadlines are the TCP connections' timeouts, the end of an accept pause
        and the end of a repeat-log window.
        """
        deadlines = [conn.deadline for conn in self._connections.values()]
        if self._accept_resumes:
            deadlines.append(self._accept_resumes)
        repeat_due = self._repeats.next_due()
        if repeat_due is not None:
            deadlines.append(repeat_due)
        if not deadlines:
            return default
        return max(0.0, min(default, min(deadlines) - now))

    def expire(self, now: float) -> None:
        """Close timed-out connections, end an accept pause and log repeat counts."""
        for conn in [c for c in self._connections.values() if c.deadline <= now]:
            self.counters.tcp_timeouts += 1
            self._repeat(
                "timeout",
                conn.source[0],
                now,
                "SIP TCP %s: no whole request within %g s, closed",
                format_source(*conn.source),
                TCP_TIMEOUT_S,
            )
            self._close(conn)
        if self._accept_resumes and now >= self._accept_resumes:
            self._accept_resumes = 0.0
            if self._listener is not None and self._selector is not None:
                self._selector.register(
                    self._listener, selectors.EVENT_READ, self._accept
                )
        for repeat in self._repeats.take_due(now):
            self._log_repeat(repeat.key, repeat.count, repeat.detail)

    def flush_repeats(self) -> None:
        """Log the counts still open, at the stop."""
        for repeat in self._repeats.take_all():
            self._log_repeat(repeat.key, repeat.count, repeat.detail)

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
        self._repeat(
            "rate",
            ip,
            time.monotonic(),
            "rate limit: dropping SIP requests from %s to port %d above %g/s with "
            "bursts of %d (first over %s)",
            ip,
            self.port,
            self.limiter.rate,
            self.limiter.burst,
            transport,
        )
        return False

    def _repeat(
        self, kind: str, ip: str, now: float, message: str, *args: object
    ) -> None:
        """Log the first event of `kind` from `ip` now, and count the repeats."""
        if self._repeats.add((kind, ip), now):
            level = logging.WARNING if kind in _WARNED else logging.INFO
            log.log(
                level,
                message + "; counts follow every %g s",
                *args,
                REPEAT_LOG_INTERVAL_S,
            )

    def _log_repeat(self, key: tuple[str, str], count: int, detail: object) -> None:
        kind, ip = key
        singular, plural_form = _REPEAT_EVENTS[kind]
        level = logging.WARNING if kind in _WARNED else logging.INFO
        log.log(
            level,
            "SIP port %d: %s%s in the last %g s",
            self.port,
            plural(count, singular, plural_form),
            f" from {ip}" if ip else "",
            REPEAT_LOG_INTERVAL_S,
        )

    def _answer(self, data: bytes, transport: str, source: tuple[str, int]) -> bytes:
        self.counters.requests += 1
        built = mirror_response(data, transport, format_source(*source))
        if built is None:
            message = parse_message(data)
            if message is None or not is_mirrorable(message):
                self.counters.invalid += 1
                self._repeat(
                    "invalid",
                    source[0],
                    time.monotonic(),
                    "SIP %s %s: no SIP request with Via, From, To, Call-ID and "
                    "CSeq (%d bytes), not answered",
                    transport.upper(),
                    format_source(*source),
                    len(data),
                )
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
                if exc.errno in _ACCEPT_OUT_OF_FILES:
                    self._pause_accept(exc)
                    return
                self._error("SIP TCP accept on port %d failed: %s", self.port, exc)
                continue
            ip = source[0]
            now = time.monotonic()
            if len(self._connections) >= MAX_CONNECTIONS:
                self.counters.tcp_rejected += 1
                self._repeat(
                    "full",
                    ip,
                    now,
                    "SIP TCP %s: rejected, %d connections are open, the maximum",
                    format_source(*source[:2]),
                    MAX_CONNECTIONS,
                )
                sock.close()
                continue
            if self._per_source.get(ip, 0) >= MAX_CONNECTIONS_PER_SOURCE:
                self.counters.tcp_rejected_per_source += 1
                self._repeat(
                    "source",
                    ip,
                    now,
                    "SIP TCP %s: rejected, %s has %d connections open, the maximum "
                    "per source",
                    format_source(*source[:2]),
                    ip,
                    MAX_CONNECTIONS_PER_SOURCE,
                )
                sock.close()
                continue
            if not self._allow(ip, "TCP"):
                sock.close()
                continue
            sock.setblocking(False)
            conn = _Connection(sock, source[:2], now + TCP_TIMEOUT_S)
            self._connections[sock.fileno()] = conn
            self._per_source[ip] = self._per_source.get(ip, 0) + 1
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

    def _pause_accept(self, exc: OSError) -> None:
        """Stop watching the listener for ACCEPT_PAUSE_S after accept() ran out.

        The pending connection stays in the kernel's queue and keeps the listener
        readable, so watching it on would spin the loop.
        """
        self.counters.accept_paused += 1
        now = time.monotonic()
        self._accept_resumes = now + ACCEPT_PAUSE_S
        if self._listener is not None and self._selector is not None:
            try:
                self._selector.unregister(self._listener)
            except (KeyError, ValueError):
                pass
        self._repeat(
            "accept",
            "",
            now,
            "SIP TCP accept on %s port %d failed: %s; connections wait %g s in the "
            "queue (fix: raise LimitNOFILE, see docs/responder.md)",
            self.bind,
            self.port,
            exc,
            ACCEPT_PAUSE_S,
        )

    def _close(self, conn: _Connection) -> None:
        if self._connections.pop(conn.sock.fileno(), None) is not None:
            ip = conn.source[0]
            remaining = self._per_source.get(ip, 1) - 1
            if remaining > 0:
                self._per_source[ip] = remaining
            else:
                self._per_source.pop(ip, None)
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
