"""ICE: gathering candidates as a browser does finds a server-reflexive candidate.

aioice gathers a host candidate on every local address (it skips 127.0.0.1 and
link-local IPv6) and sends a binding request to the STUN server from each IPv4 one
for a server-reflexive candidate. When the STUN server does not answer, aioice gives up after its fixed 5 s
wait (aioice 0.13), so the check's timeout must leave room for that and DNS.
"""

from __future__ import annotations

import asyncio
import logging
import socket
import time
from dataclasses import dataclass
from typing import Any

import ifaddr
from aioice import Candidate, Connection

from app.core import remedy
from app.core.checks import Check, register
from app.core.context import RunContext
from app.core.model import Outcome, Status
from app.core.net import ProbeError, resolve_addresses, tcp_failure
from app.core.profile import Table
from app.core.stunclient import format_address

log = logging.getLogger(__name__)

VPN_PREFIXES = ("tun", "tap", "wg", "ppp", "utun")
VPN_WORDS = (
    "vpn",
    "wireguard",
    "openvpn",
    "anyconnect",
    "forti",
    "globalprotect",
    "zscaler",
)


def looks_like_vpn(*names: str) -> bool:
    """Tell whether an adapter name or description is typical of a VPN client."""
    for name in names:
        lowered = name.lower()
        if lowered.startswith(VPN_PREFIXES) or any(w in lowered for w in VPN_WORDS):
            return True
    return False


@dataclass(frozen=True)
class Interface:
    name: str
    vpn: bool


def local_interfaces() -> dict[str, Interface]:
    """Map each local IP address to its interface, as ifaddr lists them.

    On Windows the interface name is the connection name ("Ethernet 2") and the
    adapter's description ("Fortinet Virtual Ethernet Adapter") also counts for the
    VPN match. On Linux and macOS both are the interface name.
    """
    interfaces: dict[str, Interface] = {}
    for adapter in ifaddr.get_adapters():
        for ip in adapter.ips:
            address = ip.ip[0] if isinstance(ip.ip, tuple) else ip.ip
            name = ip.nice_name or adapter.nice_name or adapter.name
            vpn = looks_like_vpn(name, adapter.nice_name, adapter.name)
            interfaces.setdefault(address, Interface(name, vpn))
    return interfaces


def route_source_address(server: tuple[str, int]) -> str | None:
    """Return the local address the OS would use to reach `server`.

    Connecting a UDP socket selects a route and a source address without sending
    anything.
    """
    family = socket.AF_INET6 if ":" in server[0] else socket.AF_INET
    try:
        with socket.socket(family, socket.SOCK_DGRAM) as sock:
            sock.connect(server)
            return str(sock.getsockname()[0])
    except OSError as exc:
        log.info("ICE: no route to %s: %s", format_address(server), exc)
        return None


def candidate_evidence(
    candidate: Candidate, interfaces: dict[str, Interface]
) -> dict[str, Any]:
    # A server-reflexive candidate leaves through the interface of its base.
    base = candidate.related_address if candidate.type == "srflx" else candidate.host
    interface = interfaces.get(base or "")
    evidence: dict[str, Any] = {
        "type": candidate.type,
        "address": candidate.host,
        "port": candidate.port,
        "protocol": candidate.transport,
        "interface": interface.name if interface else None,
    }
    if candidate.type == "srflx":
        evidence["related_address"] = candidate.related_address
        evidence["related_port"] = candidate.related_port
    return evidence


async def gather(server: tuple[str, int]) -> tuple[list[Candidate], float]:
    """Gather candidates with aioice and return them with the time taken in ms.

    The connection is closed on every exit, cancellation included.
    """
    connection = Connection(ice_controlling=True, stun_server=server)
    started = time.perf_counter()
    before = asyncio.all_tasks()
    try:
        await connection.gather_candidates()
        candidates = connection.local_candidates
    except asyncio.CancelledError:
        await _cancel_aioice_tasks(before)
        raise
    finally:
        await connection.close()
    return candidates, round((time.perf_counter() - started) * 1000, 1)


async def _cancel_aioice_tasks(before: set[asyncio.Task[Any]]) -> None:
    """Cancel the STUN tasks that aioice started for this gathering.

    WORKAROUND: aioice 0.13 leaves its server-reflexive queries running when
    gather_candidates() is cancelled. Once the connection closes, their retransmit
    timers call sendto() on a closed transport and log AttributeError tracebacks.
    """
    current = asyncio.current_task()
    started = []
    for task in asyncio.all_tasks() - before:
        code = getattr(task.get_coro(), "cr_code", None)
        if task is not current and code is not None and "aioice" in code.co_filename:
            started.append(task)
    for task in started:
        task.cancel()
    await asyncio.gather(*started, return_exceptions=True)


@register
class IceCheck(Check):
    kind = "ice"

    def configure(self, params: Table) -> None:
        self.stun_host = params.str("stun_host", example='"stun.ucontactcloud.com"')
        self.stun_port = params.port("stun_port", 3478)

    def hosts(self) -> list[str]:
        return [self.stun_host]

    def _allow(self) -> str:
        return remedy.allow("UDP", self.stun_port, self.stun_host, "STUN")

    async def run(self, ctx: RunContext) -> Outcome:
        try:
            addresses = await resolve_addresses(ctx, self.stun_host)
        except ProbeError as error:
            outcome = tcp_failure(error)
            return Outcome(
                outcome.status,
                outcome.summary,
                outcome.remedy,
                {
                    "candidates": [],
                    "server_reflexive": False,
                    "vpn_interfaces": [],
                    "gather_ms": None,
                    **outcome.evidence,
                },
            )

        # aioice sends STUN binding requests over IPv4 only.
        ipv4 = [address for address in addresses if ":" not in address]
        if not ipv4:
            return Outcome(
                Status.FAIL,
                f"{self.stun_host} has no IPv4 address, and browsers gather "
                "server-reflexive candidates over IPv4.",
                remedy.fix_dns(self.stun_host),
                {
                    "candidates": [],
                    "server_reflexive": False,
                    "vpn_interfaces": [],
                    "gather_ms": None,
                    "stun_addresses": addresses,
                },
            )
        server = (ipv4[0], self.stun_port)

        candidates, gather_ms = await gather(server)
        return self._outcome(server, candidates, gather_ms)

    def _outcome(
        self, server: tuple[str, int], candidates: list[Candidate], gather_ms: float
    ) -> Outcome:
        interfaces = local_interfaces()
        described = [candidate_evidence(c, interfaces) for c in candidates]
        srflx = [c for c in candidates if c.type == "srflx"]
        vpn_names = sorted({i.name for i in interfaces.values() if i.vpn})

        route_address = route_source_address(server)
        route_interface = interfaces.get(route_address or "")
        vpn_candidates = sorted(
            {
                entry["interface"]
                for entry in described
                if entry["interface"] in vpn_names
            }
        )
        evidence: dict[str, Any] = {
            "server": format_address(server),
            "candidates": described,
            "server_reflexive": bool(srflx),
            "vpn_interfaces": vpn_names,
            "vpn_candidate_interfaces": vpn_candidates,
            "route_interface": route_interface.name if route_interface else None,
            "gather_ms": gather_ms,
        }
        target = f"{self.stun_host} ({format_address(server)})"
        hosts = sum(1 for c in candidates if c.type == "host")
        host_text = "1 host candidate" if hosts == 1 else f"{hosts} host candidates"

        if not srflx:
            log.info("ICE: no server-reflexive candidate through %s", target)
            return Outcome(
                Status.FAIL,
                f"ICE gathering found no server-reflexive candidate through {target} "
                f"in {gather_ms / 1000:.1f} s ({host_text}): the browser "
                f"cannot learn its public address, so UDP port {self.stun_port} to the "
                "STUN server is probably blocked.",
                self._allow(),
                evidence,
            )

        reflexive = ", ".join(sorted({f"{c.host}:{c.port}" for c in srflx}))
        summary = (
            f"ICE gathering found the server-reflexive candidate {reflexive} through "
            f"{target} in {gather_ms:g} ms ({host_text})."
        )
        route_vpn = route_interface is not None and route_interface.vpn
        if route_vpn or vpn_candidates:
            carriers = sorted(
                set(vpn_candidates) | ({route_interface.name} if route_vpn else set())
            )
            return Outcome(
                Status.WARN,
                summary + f" The VPN adapter {', '.join(carriers)} carries "
                "candidates or the route to the STUN server, so calls may be routed "
                "through the VPN.",
                f"If calls are poor, ask the VPN administrator to exclude {self.stun_host} "
                f"(UDP port {self.stun_port}) and the uContact media ports (UDP "
                "10000-20000) from the tunnel (split tunnelling).",
                evidence,
            )
        return Outcome(Status.PASS, summary, evidence=evidence)
