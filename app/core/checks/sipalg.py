"""SIP ALG detection ("sip-alg"): SIP requests mirrored by the responder, compared.

The check sends an OPTIONS and an INVITE with SDP over UDP (from local port 5060
when it is free, because some ALGs only touch that traffic) and over TCP to the
responder's SIP mirror. The mirror returns each request as it arrived, so any
field that differs was rewritten on the path. uContact's own signalling is SIP
over WSS (TLS on TCP 8089), which no ALG can read, so the result matters for
softphones and trunks using plain SIP, and for routers whose ALG breaks all UDP
5060 traffic.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from app.core import remedy
from app.core.checks import Check, register
from app.core.context import RunContext
from app.core.model import Outcome, Status
from app.core.net import ProbeError, resolve_addresses, tcp_failure
from app.core.profile import Table
from app.core.sipexchange import MIRRORED, Exchange, tcp_exchange, udp_exchanges

log = logging.getLogger(__name__)

_METHODS = ("OPTIONS", "INVITE")
_SCOPE = (
    "uContact requires SIP ALG to be off on the path: its browser signalling is SIP "
    "over WSS (TLS on TCP 8089), which an ALG cannot read, but an ALG rewrites the "
    "plain SIP of softphones and trunks on port {port} and can disturb all UDP "
    "{port} traffic."
)


@register
class SipAlgCheck(Check):
    kind = "sip-alg"

    def configure(self, params: Table) -> None:
        self.responder = params.str(
            "responder", example='"{instance}.ucontactcloud.com"'
        )
        self.port = params.port("port", 5060)
        self.local_port = params.integer(
            "local_port", 5060, minimum=0, maximum=65535, example="5060"
        )
        self.wait_s = params.number("wait_s", 1.0, maximum=10, example="1")
        self.retries = params.integer("retries", 2, minimum=0, maximum=5, example="2")

    def hosts(self) -> list[str]:
        return [self.responder]

    async def run(self, ctx: RunContext) -> Outcome:
        try:
            addresses = await resolve_addresses(ctx, self.responder)
        except ProbeError as error:
            error.port = self.port
            return tcp_failure(error, "SIP ALG test")
        ipv4 = [address for address in addresses if ":" not in address]
        address = (ipv4 or addresses)[0]

        udp, tcp = await asyncio.gather(
            udp_exchanges(
                address,
                self.responder,
                self.port,
                self.local_port,
                _METHODS,
                self.wait_s,
                self.retries,
            ),
            self._tcp_exchanges(ctx),
        )
        exchanges = [*udp, *tcp]
        evidence: dict[str, Any] = {
            "responder": self.responder,
            "address": f"{address}:{self.port}",
            "exchanges": [exchange.as_dict() for exchange in exchanges],
        }
        if udp:
            evidence["udp_local_port"] = udp[0].local_port
            evidence["udp_from_port_5060"] = udp[0].local_port == 5060
            evidence["udp_local_port_wanted"] = self.local_port
        return self._outcome(exchanges, evidence)

    async def _tcp_exchanges(self, ctx: RunContext) -> list[Exchange]:
        # Each connection gets the time UDP gives one request with its retries, and
        # both fit in the check's timeout.
        budget_s = min(
            self.wait_s * (self.retries + 1),
            max(0.5, (self.spec.timeout_s - 0.5) / len(_METHODS)),
        )
        results: list[Exchange] = []
        for method in _METHODS:
            exchange = await tcp_exchange(
                ctx, self.responder, self.port, method, budget_s
            )
            results.append(exchange)
            if exchange.state != MIRRORED:
                break
        return results

    def _outcome(self, exchanges: list[Exchange], evidence: dict[str, Any]) -> Outcome:
        host, port = self.responder, self.port
        scope = _SCOPE.format(port=port)
        mirrored = [e for e in exchanges if e.state == MIRRORED]
        rewritten = [e for e in mirrored if not e.identical]
        source_note = self._source_note(exchanges)

        if rewritten:
            fields: list[str] = []
            for exchange in rewritten:
                for difference in exchange.differences:
                    if difference.field not in fields:
                        fields.append(difference.field)
            transports = _transports(rewritten)
            evidence["rewritten"] = fields
            first = next((e for e in rewritten if e.differences), rewritten[0])
            if first.differences:
                detail = (
                    f"{first.differences[0].field}: sent "
                    f"{first.differences[0].sent!r}, arrived "
                    f"{first.differences[0].arrived!r}"
                )
            else:
                detail = f"sent {first.sent_bytes} bytes, {first.arrived_bytes} arrived"
            names = ", ".join(fields) or "the request"
            return Outcome(
                Status.FAIL,
                f"A SIP ALG on the path rewrote {names} of SIP over {transports} to "
                f"{host} ({detail}). {scope}",
                "Disable SIP ALG (also called SIP helper, SIP fixup, SIP "
                "transformations) on the router or firewall between this network "
                f"and {host} ({transports} port {port}).",
                evidence,
            )

        if mirrored and len(mirrored) == len(exchanges) == 2 * len(_METHODS):
            return Outcome(
                Status.PASS,
                f"SIP OPTIONS and INVITE with SDP reached the responder at {host} "
                f"over UDP and TCP port {port} unchanged, so no SIP ALG rewrote "
                f"them{source_note}. {scope}",
                evidence=evidence,
            )

        untested = _transports([e for e in exchanges if e.state != MIRRORED])
        fix = (
            f"Run the uContact Network Check responder with its SIP mirror on {host} "
            f"(UDP and TCP port {port}). "
            + remedy.allow("UDP and TCP", port, host, "SIP ALG test")
        )
        if not mirrored:
            return Outcome(
                Status.UNKNOWN,
                f"No responder answered on UDP/TCP {port} at {host} "
                f"({self._failures(exchanges)}): SIP ALG could not be tested. {scope}",
                fix,
                evidence,
            )
        passed = _transports(mirrored)
        return Outcome(
            Status.UNKNOWN,
            f"SIP over {passed} port {port} reached the responder at {host} unchanged"
            f"{source_note}, but {untested} was not mirrored "
            f"({self._failures(exchanges)}), so a SIP ALG that drops or breaks SIP "
            f"over {untested} cannot be ruled out. {scope}",
            fix,
            evidence,
        )

    @staticmethod
    def _failures(exchanges: list[Exchange]) -> str:
        failed = [e for e in exchanges if e.state != MIRRORED]
        return "; ".join(
            f"{e.transport.upper()} {e.method}: {e.detail}" for e in failed
        )

    def _source_note(self, exchanges: list[Exchange]) -> str:
        udp = [e for e in exchanges if e.transport == "udp" and e.local_port]
        if not udp or not self.local_port or udp[0].local_port == self.local_port:
            return ""
        return (
            f" (UDP was sent from port {udp[0].local_port} because local port "
            f"{self.local_port} is in use, and some ALGs only rewrite traffic from "
            "port 5060)"
        )


def _transports(exchanges: list[Exchange]) -> str:
    """Name the exchanges' transports, UDP first: "UDP", "TCP" or "UDP and TCP"."""
    present = {exchange.transport for exchange in exchanges}
    return " and ".join(name.upper() for name in ("udp", "tcp") if name in present)
