"""Send one UDP datagram to each of many ports and classify what comes back.

Per port the evidence is one of four. A reply means open. An ICMP port-unreachable
sent by the target itself means the path is open but nothing listens. An ICMP error
from another address, or of another code, means a device on the path rejected it.
Silence proves nothing.

One unconnected socket carries the whole sweep, so a NAT sees one source port. On
Linux, IP_RECVERR queues each ICMP error with the port it answers and the address
that sent it (the offender), which is how the target's own port-unreachable is told
apart from a firewall's reject.
"""

from __future__ import annotations

import asyncio
import errno
import ipaddress
import logging
import socket
import struct
import sys
import time
from collections.abc import Iterable
from dataclasses import dataclass

log = logging.getLogger(__name__)

OPEN = "open"
CLOSED = "closed"  # ICMP port-unreachable from the target: path open, nothing listens
REJECTED = "rejected"  # ICMP error from a device on the path, or a prohibited code
UNREACHABLE = "unreachable"  # ICMP host or network unreachable
SILENT = "silent"

MAX_REPLY = 2048
_RECEIVE_BUFFER = 4 * 1024 * 1024
_IP_RECVERR = getattr(socket, "IP_RECVERR", 11)
_IPV6_RECVERR = getattr(socket, "IPV6_RECVERR", 25)
_EE_ORIGIN_ICMP = 2
_EE_ORIGIN_ICMP6 = 3
_EXTENDED_ERROR = struct.Struct("=IBBBBII")

# (ICMP type, code) -> name, for IPv4 destination unreachable (type 3) and IPv6 (1).
_ICMP4_NAMES = {
    0: "net-unreachable",
    1: "host-unreachable",
    2: "protocol-unreachable",
    3: "port-unreachable",
    9: "net-prohibited",
    10: "host-prohibited",
    13: "admin-prohibited",
}
_ICMP6_NAMES = {
    0: "no-route",
    1: "admin-prohibited",
    3: "address-unreachable",
    4: "port-unreachable",
    5: "policy-failed",
    6: "reject-route",
}


@dataclass
class PortResult:
    port: int
    state: str = SILENT
    rtt_ms: float | None = None
    reply: bytes | None = None
    icmp: str | None = None
    icmp_from: str | None = None
    sends: int = 0
    _sent_at: float = 0.0


@dataclass
class SweepResult:
    address: str
    ports: dict[int, PortResult]
    elapsed_s: float
    icmp_supported: bool
    local_port: int = 0
    send_error: str | None = None
    rounds: int = 0

    def with_state(self, *states: str) -> list[int]:
        return sorted(p for p, r in self.ports.items() if r.state in states)

    def counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for result in self.ports.values():
            counts[result.state] = counts.get(result.state, 0) + 1
        return counts


@dataclass
class SweepPlan:
    """Pacing and waiting of one sweep; every value comes from the profile."""

    rate_pps: float
    wait_s: float
    retries: int = 1
    deadline_s: float = 5.0


def icmp_supported() -> bool:
    """Return whether ICMP errors can be matched to ports here (Linux IP_RECVERR)."""
    # NOTE: elsewhere ICMP errors are ignored, so rejected ports read as silent.
    # Windows reports them on unconnected sockets without the port they refer to.
    return sys.platform.startswith("linux")


class _Sweep:
    def __init__(self, address: str, ports: Iterable[int], payload: bytes) -> None:
        self.address = address
        self.payload = payload
        self.results = {port: PortResult(port) for port in ports}
        self.pending = set(self.results)
        self.done = asyncio.Event()
        version = ipaddress.ip_address(address).version
        self.family = socket.AF_INET6 if version == 6 else socket.AF_INET
        self.sock = socket.socket(self.family, socket.SOCK_DGRAM)
        self.sock.setblocking(False)
        self.recverr = icmp_supported()
        try:
            self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, _RECEIVE_BUFFER)
            if self.recverr and self.family == socket.AF_INET:
                self.sock.setsockopt(socket.SOL_IP, _IP_RECVERR, 1)
            elif self.recverr:
                self.sock.setsockopt(socket.IPPROTO_IPV6, _IPV6_RECVERR, 1)
        except OSError as exc:
            log.info("UDP sweep of %s: socket option failed: %s", address, exc)
            self.recverr = False
        self.sock.bind(("::" if version == 6 else "0.0.0.0", 0))
        self.send_error: str | None = None

    def on_readable(self) -> None:
        if self.recverr:
            self._drain_errors()
        for _ in range(512):
            try:
                data, source = self.sock.recvfrom(MAX_REPLY)
            except (BlockingIOError, InterruptedError):
                return
            except OSError:
                # The socket's pending ICMP error; its details are in the error queue.
                if self.recverr:
                    self._drain_errors()
                continue
            self._record_reply(data, source)

    def _record_reply(self, data: bytes, source: tuple) -> None:
        port = source[1]
        if source[0] != self.address or port not in self.pending:
            return
        result = self.results[port]
        result.state = OPEN
        result.reply = data
        result.rtt_ms = round((time.perf_counter() - result._sent_at) * 1000, 2)
        self._settle(port)

    def _drain_errors(self) -> None:
        for _ in range(512):
            try:
                _, ancillary, _, destination = self.sock.recvmsg(
                    512, 512, socket.MSG_ERRQUEUE
                )
            except (BlockingIOError, InterruptedError):
                return
            except OSError as exc:
                log.debug(
                    "UDP sweep of %s: error queue read failed: %s", self.address, exc
                )
                return
            for level, kind, data in ancillary:
                if kind in (_IP_RECVERR, _IPV6_RECVERR):
                    self._record_icmp(destination, data)

    def _record_icmp(self, destination: tuple | None, data: bytes) -> None:
        if not destination or destination[0] != self.address:
            return
        port = destination[1]
        if port not in self.pending or len(data) < _EXTENDED_ERROR.size:
            return
        _, origin, _, code, _, _, _ = _EXTENDED_ERROR.unpack_from(data)
        if origin not in (_EE_ORIGIN_ICMP, _EE_ORIGIN_ICMP6):
            return
        names = _ICMP4_NAMES if origin == _EE_ORIGIN_ICMP else _ICMP6_NAMES
        name = names.get(code, f"code-{code}")
        offender = _offender(data[_EXTENDED_ERROR.size :])
        result = self.results[port]
        result.icmp = name
        result.icmp_from = offender
        if name == "port-unreachable" and offender == self.address:
            result.state = CLOSED
        elif name in (
            "host-unreachable",
            "net-unreachable",
            "no-route",
            "address-unreachable",
        ):
            result.state = UNREACHABLE
        else:
            result.state = REJECTED
        result.rtt_ms = round((time.perf_counter() - result._sent_at) * 1000, 2)
        self._settle(port)

    def _settle(self, port: int) -> None:
        self.pending.discard(port)
        if not self.pending:
            self.done.set()

    async def send_round(self, ports: list[int], rate_pps: float) -> None:
        loop = asyncio.get_running_loop()
        started = time.perf_counter()
        for index, port in enumerate(ports):
            if port not in self.pending:
                continue
            if rate_pps > 0:
                ahead = started + index / rate_pps - time.perf_counter()
                if ahead > 0.001:
                    await asyncio.sleep(ahead)
            if index % 64 == 63:
                await asyncio.sleep(0)
            result = self.results[port]
            result._sent_at = time.perf_counter()
            result.sends += 1
            try:
                self.sock.sendto(self.payload, (self.address, port))
            except BlockingIOError:
                await loop.sock_sendto(self.sock, self.payload, (self.address, port))
            except OSError as exc:
                if exc.errno in (errno.ECONNREFUSED, errno.EHOSTUNREACH):
                    # A pending ICMP error was reported on send: read it and go on.
                    if self.recverr:
                        self._drain_errors()
                    continue
                self.send_error = f"{type(exc).__name__}: {exc.strerror or exc}"
                log.info(
                    "UDP sweep of %s: send to port %d failed: %s",
                    self.address,
                    port,
                    exc,
                )
                return


def _offender(data: bytes) -> str | None:
    """Read the sockaddr that follows sock_extended_err (SO_EE_OFFENDER)."""
    if len(data) < 8:
        return None
    (family,) = struct.unpack_from("=H", data)
    if family == socket.AF_INET:
        return socket.inet_ntop(socket.AF_INET, data[4:8])
    if family == socket.AF_INET6 and len(data) >= 24:
        return socket.inet_ntop(socket.AF_INET6, data[8:24])
    return None


async def sweep(
    address: str, ports: Iterable[int], payload: bytes, plan: SweepPlan
) -> SweepResult:
    """Probe `ports` of `address` with `payload`, retrying silent ports `plan.retries` times.

    Ends when every port has an answer, or `plan.wait_s` after the last round, and in
    any case by `plan.deadline_s`. Never raises for network conditions.
    """
    started = time.perf_counter()
    state = _Sweep(address, ports, payload)
    loop = asyncio.get_running_loop()
    loop.add_reader(state.sock.fileno(), state.on_readable)
    rounds = 0
    try:
        async with asyncio.timeout(plan.deadline_s):
            for _ in range(plan.retries + 1):
                if not state.pending:
                    break
                rounds += 1
                await state.send_round(sorted(state.pending), plan.rate_pps)
                if state.send_error:
                    break
                try:
                    await asyncio.wait_for(state.done.wait(), plan.wait_s)
                except TimeoutError:
                    pass
    except TimeoutError:
        log.info(
            "UDP sweep of %s stopped at its %g s deadline", address, plan.deadline_s
        )
    finally:
        loop.remove_reader(state.sock.fileno())
        local_port = state.sock.getsockname()[1]
        state.sock.close()
    elapsed = time.perf_counter() - started
    log.debug(
        "UDP sweep of %s: %d ports in %.3f s, %s",
        address,
        len(state.results),
        elapsed,
        _counts_text(state.results),
    )
    return SweepResult(
        address=address,
        ports=state.results,
        elapsed_s=round(elapsed, 3),
        icmp_supported=state.recverr,
        local_port=local_port,
        send_error=state.send_error,
        rounds=rounds,
    )


def _counts_text(results: dict[int, PortResult]) -> str:
    counts: dict[str, int] = {}
    for result in results.values():
        counts[result.state] = counts.get(result.state, 0) + 1
    return ", ".join(f"{count} {state}" for state, count in sorted(counts.items()))


def port_ranges(ports: Iterable[int]) -> list[tuple[int, int]]:
    """Merge sorted ports into (low, high) runs of consecutive numbers."""
    runs: list[tuple[int, int]] = []
    for port in sorted(set(ports)):
        if runs and port == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], port)
        else:
            runs.append((port, port))
    return runs


def describe_ranges(runs: list[tuple[int, int]]) -> str:
    return ", ".join(str(low) if low == high else f"{low}-{high}" for low, high in runs)
