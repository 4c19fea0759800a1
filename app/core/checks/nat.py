"""NAT behaviour after RFC 5780: mapping (section 4.3) and filtering (section 4.4).

The tests need a STUN server that returns OTHER-ADDRESS, an alternate address and
port where it also answers. Mapping: the public address seen from the primary
address, from the alternate address, and from the alternate address and port.
Filtering: whether a response sent from the alternate address (CHANGE-REQUEST)
still arrives.
"""

from __future__ import annotations

import asyncio
import ipaddress
from typing import Any

from app.core import remedy, stunclient, udpevidence
from app.core.checks import Check, register
from app.core.context import RunContext
from app.core.model import Outcome, Status
from app.core.net import ProbeError
from app.core.profile import Table
from app.core.stunclient import Address, format_address

INDEPENDENT = "endpoint-independent"
ADDRESS = "address-dependent"
ADDRESS_PORT = "address-and-port-dependent"
# The mapping changes with the destination address; the port test could not run.
DEPENDENT = "endpoint-dependent"


async def mapping_behaviour(
    server: Address, timeout_s: float, alternate: Address | None = None
) -> tuple[str | None, dict[str, Any]]:
    """Run the RFC 5780 mapping tests from one socket; return the behaviour and facts.

    Without OTHER-ADDRESS, `alternate` (a second address of the same STUN service)
    stands in for test II; test III then cannot run, so a mapping that changes is
    reported as DEPENDENT. The behaviour is None when a test got no response.
    """
    facts: dict[str, Any] = {}
    async with await stunclient.StunUdpSocket.open(family=0) as sock:
        first = await stunclient.send_binding_request(sock, server, timeout_s)
        facts["local_address"] = format_address(sock.local_address)
        if first is None or not first.ok or first.mapped_address is None:
            facts["problem"] = "no binding response from the primary address"
            return None, facts
        facts["mapped_primary"] = format_address(first.mapped_address)
        facts["other_address"] = (
            format_address(first.other_address) if first.other_address else None
        )
        if first.other_address is not None:
            facts["alternate_source"] = "OTHER-ADDRESS"
            alternate_ip, alternate_port = first.other_address
            second_server = (alternate_ip, server[1])
        elif alternate is not None:
            facts["alternate_source"] = "profile"
            alternate_ip, alternate_port = alternate
            second_server = alternate
        else:
            facts["problem"] = (
                "the STUN server returned no OTHER-ADDRESS and the profile names no "
                "alternate STUN address"
            )
            return None, facts

        second = await stunclient.send_binding_request(sock, second_server, timeout_s)
        if second is None or second.mapped_address is None:
            facts["problem"] = (
                f"no response from the alternate address {format_address(second_server)}"
            )
            return None, facts
        facts["mapped_alternate_address"] = format_address(second.mapped_address)
        if second.mapped_address == first.mapped_address:
            return INDEPENDENT, facts
        if first.other_address is None:
            return DEPENDENT, facts

        third = await stunclient.send_binding_request(
            sock, (alternate_ip, alternate_port), timeout_s
        )
        if third is None or third.mapped_address is None:
            facts["problem"] = "no response from the alternate address and port"
            return None, facts
        facts["mapped_alternate_port"] = format_address(third.mapped_address)
        behaviour = (
            ADDRESS if third.mapped_address == second.mapped_address else (ADDRESS_PORT)
        )
        return behaviour, facts


async def filtering_behaviour(server: Address, timeout_s: float) -> str | None:
    """Run the RFC 5780 filtering tests from a fresh socket; None if test I failed."""
    async with await stunclient.StunUdpSocket.open(family=0) as sock:
        first = await stunclient.send_binding_request(sock, server, timeout_s)
        if first is None or not first.ok or first.other_address is None:
            return None
        changed = await stunclient.send_binding_request(
            sock, server, timeout_s, change_ip=True, change_port=True
        )
        if changed is not None and changed.ok:
            return INDEPENDENT
        port_only = await stunclient.send_binding_request(
            sock, server, timeout_s, change_port=True
        )
        if port_only is not None and port_only.ok:
            return ADDRESS
        return ADDRESS_PORT


@register
class NatCheck(Check):
    kind = "nat"

    def configure(self, params: Table) -> None:
        self.stun_host = params.str("stun_host", example='"stun.ucontactcloud.com"')
        self.stun_port = params.port("stun_port", 3478)
        self.alternate = params.str(
            "alternate_stun_address", "", example='"198.51.100.22:3478"'
        )
        self.alternate_address = _parse_address(params, self.alternate)
        self.transaction_timeout_s = params.number(
            "transaction_timeout_s", 1.5, maximum=30, example="1.5"
        )

    def hosts(self) -> list[str]:
        return [self.stun_host]

    def _remedy(self) -> str:
        return remedy.allow("UDP", self.stun_port, self.stun_host, "STUN")

    async def run(self, ctx: RunContext) -> Outcome:
        try:
            address = await udpevidence.first_address(ctx, self.stun_host)
        except ProbeError as exc:
            summary, fix = udpevidence.dns_failure(exc, "UDP", self.stun_port)
            return Outcome(Status.UNKNOWN, summary, fix, {"error": exc.kind})
        server = (address, self.stun_port)
        try:
            (mapping, facts), filtering = await asyncio.gather(
                mapping_behaviour(
                    server, self.transaction_timeout_s, self.alternate_address
                ),
                filtering_behaviour(server, self.transaction_timeout_s),
            )
        except OSError as exc:
            return Outcome(
                Status.UNKNOWN,
                f"The NAT tests could not open a UDP socket: {exc.strerror or exc}.",
                self._remedy(),
                {"server": format_address(server), "error": str(exc)},
            )
        evidence = {
            "server": format_address(server),
            "mapping": mapping,
            "filtering": filtering,
            **facts,
        }
        if mapping is None:
            return Outcome(
                Status.UNKNOWN,
                f"NAT behaviour could not be measured through {self.stun_host}: "
                f"{facts.get('problem', 'no response')}.",
                f"{self._remedy()} The tests need a STUN server with two addresses "
                "(RFC 5780 OTHER-ADDRESS), or alternate_stun_address in the profile.",
                evidence,
            )
        filtering_text = (
            f", {filtering} filtering" if filtering else (", filtering not measured")
        )
        if mapping == INDEPENDENT:
            return Outcome(
                Status.PASS,
                f"The NAT keeps one public mapping ({facts['mapped_primary']}) for "
                f"every destination (endpoint-independent mapping{filtering_text}).",
                evidence=evidence,
            )
        return Outcome(
            Status.WARN,
            f"Symmetric NAT: the public mapping changes with the destination "
            f"({mapping} mapping{filtering_text}: {facts['mapped_primary']} to the "
            f"primary address, {facts['mapped_alternate_address']} to the alternate). "
            "The address that STUN finds is not the one the media server sees, so "
            "ICE must rely on peer-reflexive candidates or a TURN relay: calls may "
            "fail to connect or carry audio one way only.",
            "Configure the router or firewall for endpoint-independent (port-"
            "preserving) NAT for UDP, or exempt UDP 10000-20000 and UDP "
            f"{self.stun_port} to {self.stun_host} from port randomization.",
            evidence,
        )


def _parse_address(params: Table, text: str) -> Address | None:
    """Parse "ip:port" (an IP literal, so the NAT tests need no DNS); "" is None."""
    if not text:
        return None
    host, _, port = text.rpartition(":")
    host = host.strip("[]")
    try:
        ipaddress.ip_address(host)
        number = int(port)
    except ValueError:
        number = 0
    if not 1 <= number <= 65535:
        raise params.error(
            "alternate_stun_address",
            f"must be ip:port (got {text!r})",
            'write it as alternate_stun_address = "198.51.100.22:3478"',
        )
    return (host, number)
