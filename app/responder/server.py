"""UDP echo over a port range, with token replies, QUIC version negotiation and limits.

Safety rules: a reply is never larger than the datagram it answers, each source
address is rate-limited, and every datagram (an empty one too) gets at most one reply.
The SIP mirror (`app.responder.sip`) shares the selector loop but has its own,
lower per-source rate limit, because each of its requests costs far more CPU.
"""

from __future__ import annotations

import errno
import ipaddress
import logging
import os
import resource
import selectors
import signal
import socket
import time
from dataclasses import dataclass, field

from app.core import probe_token, quic
from app.responder import sip as sip_mirror
from app.responder.ratelimit import RepeatCounter, SourceRateLimiter
from app.responder.sip import SipMirror, plural

log = logging.getLogger(__name__)

MAX_DATAGRAM = 65_535
# Reads per readable event, so one busy port cannot starve the others.
_READS_PER_EVENT = 64
_DROP_LOG_INTERVAL_S = 10.0
# File descriptors beyond the sockets: stdio, the selector, the wake-up pair, logs.
SPARE_FILES = 32


class ResponderError(Exception):
    """The responder cannot start; the message is one sentence with the fix."""


@dataclass
class Counters:
    received: int = 0
    replied: int = 0
    rate_limited: int = 0
    send_errors: int = 0
    bytes_received: int = 0
    bytes_sent: int = 0
    sources: set[str] = field(default_factory=set)


def build_reply(data: bytes, source_ip: str, source_port: int) -> bytes:
    """Return the reply to `data`, at most `len(data)` bytes long.

    A probe gets its token and the observed source. A QUIC long-header packet of at
    least 1200 bytes gets a Version Negotiation packet, because this server supports
    no QUIC version. Anything else, an empty datagram included, is echoed unchanged.
    """
    token = probe_token.probe_token(data)
    if token is not None:
        reply = probe_token.encode_reply(token, source_ip, source_port)
        return reply[: len(data)]
    if len(data) >= quic.MIN_INITIAL_SIZE:
        header = quic.parse_long_header(data)
        if header is not None and header.version != 0:
            reply = quic.encode_version_negotiation(header, (quic.QUIC_V1,))
            return reply[: len(data)]
    return data


def files_needed(ports: int, sip: bool) -> int:
    """Return the open files for `ports` echo sockets, the spares and the SIP mirror."""
    return ports + SPARE_FILES + (sip_mirror.FILES_NEEDED if sip else 0)


def raise_file_limit(needed: int, sip: bool = False) -> int:
    """Raise the soft open-file limit to `needed`, returning the new soft limit.

    Raises ResponderError when the hard limit is lower than `needed`.
    """
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft >= needed:
        return soft
    if hard != resource.RLIM_INFINITY and hard < needed:
        mirror = (
            f" and {sip_mirror.FILES_NEEDED} for the SIP mirror's "
            f"{sip_mirror.MAX_CONNECTIONS} TCP connections"
            if sip
            else ""
        )
        raise ResponderError(
            f"the responder needs {needed} open files (one per port, "
            f"{SPARE_FILES} spare{mirror}) but the hard limit is {hard}; fix: raise "
            f"it (LimitNOFILE={needed} in the systemd unit, or `ulimit -Hn {needed}` "
            "as root), bind a smaller range, or bind one port and redirect the range "
            "to it with an nftables DNAT rule (see docs/responder.md)"
        )
    resource.setrlimit(resource.RLIMIT_NOFILE, (needed, hard))
    log.info("raised the soft open-file limit from %d to %d", soft, needed)
    return needed


class Responder:
    """One non-blocking UDP socket per port on `bind`, served by one selector loop."""

    def __init__(
        self,
        bind: str,
        ports: list[int],
        rate: float,
        burst: int,
        sip_port: int | None = None,
        sip_rate: float | None = None,
        sip_burst: int | None = None,
    ) -> None:
        """Set up the sockets' owner; `open` binds them.

        The SIP mirror gets its own per-source limiter, because each request costs
        far more CPU than an echo. Without `sip_rate` and `sip_burst` it takes the
        echo's numbers, but the command line always passes its lower defaults.
        """
        self.bind = bind
        self.ports = sorted(set(ports))
        self.limiter = SourceRateLimiter(rate, burst)
        self.sip_limiter = SourceRateLimiter(
            rate if sip_rate is None else sip_rate,
            burst if sip_burst is None else sip_burst,
        )
        self._drops: RepeatCounter[str] = RepeatCounter(_DROP_LOG_INTERVAL_S)
        self.counters = Counters()
        self.family = (
            socket.AF_INET6
            if ipaddress.ip_address(bind).version == 6
            else socket.AF_INET
        )
        self._sockets: dict[int, socket.socket] = {}
        self.sip = (
            SipMirror(bind, sip_port, self.family, self.sip_limiter)
            if sip_port is not None
            else None
        )
        self._selector = selectors.DefaultSelector()
        self._wake_read, self._wake_write = socket.socketpair()
        self._stopping = False

    def open(self) -> None:
        """Bind every port; raises ResponderError naming the port that failed."""
        raise_file_limit(
            files_needed(len(self.ports), self.sip is not None), self.sip is not None
        )
        try:
            for port in self.ports:
                sock = socket.socket(self.family, socket.SOCK_DGRAM)
                self._sockets[sock.fileno()] = sock
                sock.setblocking(False)
                sock.bind((self.bind, port))
                self._selector.register(sock, selectors.EVENT_READ, port)
        except OSError as exc:
            self.close()
            fix = _bind_fix(exc, self.bind) or (
                "stop the program that uses it, or choose another address or range"
            )
            raise ResponderError(
                f"cannot bind UDP {self.bind} port {port}: {exc.strerror or exc}; "
                f"fix: {fix}"
            ) from None
        if self.sip is not None:
            try:
                self.sip.open(self._selector)
            except OSError as exc:
                self.close()
                fix = _bind_fix(exc, self.bind) or (
                    "stop the SIP server that uses it (the responder must not run "
                    "on the PBX's own SIP address), choose another --sip-port, or "
                    "give --no-sip"
                )
                raise ResponderError(
                    f"cannot bind the SIP mirror on {self.bind} port {self.sip.port} "
                    f"({exc.strerror or exc}); fix: {fix}"
                ) from None
        self._wake_read.setblocking(False)
        self._wake_write.setblocking(False)
        self._selector.register(self._wake_read, selectors.EVENT_READ, None)

    def stop(self) -> None:
        """Ask the loop to stop; safe to call from a signal handler or another thread."""
        self._stopping = True
        try:
            self._wake_write.send(b"\0")
        except OSError:
            pass

    def install_signal_handlers(self) -> None:
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda number, frame: self.stop())

    def serve(self) -> None:
        log.info(
            "responder started on UDP %s ports %s (%s), %g datagrams/s per "
            "source, burst %d (pid %d)",
            self.bind,
            _describe_ports(self.ports),
            plural(len(self.ports), "socket"),
            self.limiter.rate,
            self.limiter.burst,
            os.getpid(),
        )
        if self.sip is not None:
            log.info(
                "SIP mirror started on UDP and TCP %s port %d, %g requests/s per "
                "source, burst %d, at most %d TCP connections (%d per source)",
                self.bind,
                self.sip.port,
                self.sip_limiter.rate,
                self.sip_limiter.burst,
                sip_mirror.MAX_CONNECTIONS,
                sip_mirror.MAX_CONNECTIONS_PER_SOURCE,
            )
        while not self._stopping:
            timeout = 1.0
            drops_due = self._drops.next_due()
            if drops_due is not None:
                timeout = max(0.0, min(timeout, drops_due - time.monotonic()))
            if self.sip is not None:
                timeout = self.sip.next_timeout(time.monotonic(), timeout)
            try:
                events = self._selector.select(timeout=timeout)
            except InterruptedError:
                continue
            for key, mask in events:
                if key.data is None:
                    self._drain_wake()
                elif callable(key.data):
                    key.data(key.fileobj, mask)
                else:
                    self._serve_socket(key.fileobj, key.data)
            now = time.monotonic()
            for repeat in self._drops.take_due(now):
                self._log_drops(repeat.key, repeat.count, repeat.detail)
            if self.sip is not None:
                self.sip.expire(now)
        for repeat in self._drops.take_all():
            self._log_drops(repeat.key, repeat.count, repeat.detail)
        if self.sip is not None:
            self.sip.flush_repeats()
        self.close()
        counters = self.counters
        log.info(
            "responder stopped: %d datagrams from %d sources, %d replied, %d "
            "rate-limited, %d send errors, %d bytes in, %d bytes out",
            counters.received,
            len(counters.sources),
            counters.replied,
            counters.rate_limited,
            counters.send_errors,
            counters.bytes_received,
            counters.bytes_sent,
        )
        if self.sip is not None:
            sip = self.sip.counters
            log.info(
                "SIP mirror stopped: %d requests, %d replied (%d with a truncated "
                "mirror), %d invalid, %d too small to answer, %d rate-limited, %d "
                "TCP timeouts, %d TCP connections over the maximum, %d over the "
                "per-source maximum, %d accept pauses, %d errors",
                sip.requests,
                sip.replied,
                sip.truncated,
                sip.invalid,
                sip.too_small,
                sip.rate_limited,
                sip.tcp_timeouts,
                sip.tcp_rejected,
                sip.tcp_rejected_per_source,
                sip.accept_paused,
                sip.errors,
            )

    def _drain_wake(self) -> None:
        try:
            self._wake_read.recv(64)
        except OSError:
            pass

    def _serve_socket(self, sock: socket.socket, port: int) -> None:
        for _ in range(_READS_PER_EVENT):
            try:
                data, source = sock.recvfrom(MAX_DATAGRAM)
            except (BlockingIOError, InterruptedError):
                return
            except OSError as exc:
                # An ICMP error for an earlier reply surfaces here; it is not fatal.
                if exc.errno not in (errno.ECONNREFUSED, errno.EHOSTUNREACH):
                    log.warning("UDP %s:%d receive failed: %s", self.bind, port, exc)
                continue
            self._answer(sock, port, data, source)

    def _answer(self, sock: socket.socket, port: int, data: bytes, source) -> None:
        source_ip, source_port = source[0], source[1]
        counters = self.counters
        counters.received += 1
        counters.bytes_received += len(data)
        if len(counters.sources) < 100_000:
            counters.sources.add(source_ip)

        if not self.limiter.allow(source_ip):
            counters.rate_limited += 1
            if self._drops.add(source_ip, time.monotonic(), port):
                log.warning(
                    "rate limit: dropping datagrams from %s above %g/s with bursts "
                    "of %d (first to port %d); counts follow every %g s",
                    source_ip,
                    self.limiter.rate,
                    self.limiter.burst,
                    port,
                    _DROP_LOG_INTERVAL_S,
                )
            return

        reply = build_reply(data, source_ip, source_port)
        try:
            # socket.sendto sends an empty datagram too, unlike asyncio's sendto.
            sock.sendto(reply, source)
        except OSError as exc:
            counters.send_errors += 1
            if counters.send_errors <= 10 or counters.send_errors % 1000 == 0:
                log.warning(
                    "UDP %s:%d reply to %s:%d failed (%d errors so far): %s",
                    self.bind,
                    port,
                    source_ip,
                    source_port,
                    counters.send_errors,
                    exc,
                )
            return
        counters.replied += 1
        counters.bytes_sent += len(reply)

    def _log_drops(self, source_ip: str, dropped: int, port: object) -> None:
        log.warning(
            "rate limit: dropped %s from %s in the last %g s (latest to port %s)",
            plural(dropped, "datagram"),
            source_ip,
            _DROP_LOG_INTERVAL_S,
            port,
        )

    def close(self) -> None:
        if self.sip is not None:
            self.sip.close()
        for sock in self._sockets.values():
            try:
                self._selector.unregister(sock)
            except (KeyError, ValueError):
                pass
            sock.close()
        self._sockets.clear()
        self._selector.close()
        self._wake_read.close()
        self._wake_write.close()


def _bind_fix(exc: OSError, bind: str) -> str | None:
    """Return the fix for a bind error that no other program causes, else None."""
    if exc.errno == errno.EADDRNOTAVAIL:
        return (
            f"{bind} is not an address of this host; bind one of its addresses "
            "(`ip address` lists them), or 0.0.0.0 or :: for all of them"
        )
    if exc.errno == errno.EACCES:
        return (
            "ports below 1024 need root or the CAP_NET_BIND_SERVICE capability, "
            "which the systemd unit grants"
        )
    return None


def _describe_ports(ports: list[int]) -> str:
    """Write sorted ports as ranges: [8089, 10000, 10001, 10002] -> "8089, 10000-10002"."""
    parts: list[str] = []
    start = previous = ports[0] if ports else 0
    for port in ports[1:] + [-1]:
        if port == previous + 1:
            previous = port
            continue
        parts.append(str(start) if start == previous else f"{start}-{previous}")
        start = previous = port
    return ", ".join(parts) if ports else "none"
