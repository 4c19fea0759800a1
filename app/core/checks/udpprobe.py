"""UDP reachability of one port (8089, 443) under the evidence rules.

A port passes on a reply, or on an ICMP port-unreachable sent by the target itself
(the path is open, nothing listens). An ICMP error from a device on the path fails
it. Silence fails only when the responder is known to run (it answered on another
port, or the profile says it is deployed); otherwise silence is grey.
"""

from __future__ import annotations

import asyncio
from typing import Any

from app.core import quic, remedy, udpevidence, udpsweep
from app.core.checks import Check, register
from app.core.context import RunContext
from app.core.model import Outcome, Status
from app.core.net import ProbeError
from app.core.profile import Table

_PROBES = ("token", "quic")


@register
class UdpProbeCheck(Check):
    kind = "udp-probe"

    def configure(self, params: Table) -> None:
        self.host = params.str("host", example='"{instance}.ucontactcloud.com"')
        self.port = params.port("port")
        self.probe = params.str("probe", "token", example='"token"')
        if self.probe not in _PROBES:
            raise params.error(
                "probe",
                f"must be one of {', '.join(_PROBES)} (got {self.probe!r})",
                'write probe = "token"',
            )
        self.purpose = params.str("purpose", "", example='"SIP signalling"')
        self.responder = params.str(
            "responder", self.host, example='"{instance}.ucontactcloud.com"'
        )
        self.responder_expected = params.boolean("responder_expected", False)
        self.presence_port = params.port("presence_port", 10000)
        self.plan = udpsweep.SweepPlan(
            rate_pps=0,
            wait_s=params.number("wait_s", 1.0, maximum=30, example="1"),
            retries=params.integer("retries", 2, minimum=0, maximum=10, example="2"),
            deadline_s=max(0.5, self.spec.timeout_s - 0.5),
        )

    def hosts(self) -> list[str]:
        return sorted({self.host, self.responder})

    def _remedy(self) -> str:
        return remedy.allow("UDP", self.port, self.host, self.purpose)

    async def run(self, ctx: RunContext) -> Outcome:
        try:
            address = await udpevidence.first_address(ctx, self.host)
        except ProbeError as exc:
            summary, fix = udpevidence.dns_failure(exc, "UDP", self.port)
            return Outcome(Status.FAIL, summary, fix, {"error": exc.kind})

        # The responder's presence matters only on silence, but probing it at once
        # keeps the silent case within the timeout.
        presence = asyncio.ensure_future(self._presence(ctx))
        try:
            return await self._probe(ctx, address, presence)
        finally:
            presence.cancel()

    async def _probe(
        self, ctx: RunContext, address: str, presence: asyncio.Future[bool]
    ) -> Outcome:
        source_cid = b""
        if self.probe == "quic":
            result, source_cid = await self._quic_probe(ctx, address)
        else:
            result = await udpevidence.token_probe(ctx, address, self.port, self.plan)
        evidence: dict[str, Any] = {
            "address": f"{address}:{self.port}",
            "probe": self.probe,
            "state": result.state,
            "rtt_ms": result.rtt_ms,
            "attempts": result.sends,
            "icmp": result.icmp,
            "icmp_from": result.icmp_from,
        }
        target = f"UDP {self.port} on {self.host}"

        if result.state == udpsweep.OPEN:
            summary = self._reply_summary(result, target, source_cid, evidence)
            return Outcome(Status.PASS, summary, evidence=evidence)
        if result.state == udpsweep.CLOSED:
            return Outcome(
                Status.PASS,
                f"{target}: the server sent ICMP port-unreachable, so the path is "
                "open but nothing listens on that port.",
                evidence=evidence,
            )
        if result.state in (udpsweep.REJECTED, udpsweep.UNREACHABLE):
            return Outcome(
                Status.FAIL,
                f"{target} was rejected on the path: ICMP {result.icmp} from "
                f"{result.icmp_from or 'an unknown address'}.",
                self._remedy(),
                evidence,
            )
        return await self._silent_outcome(presence, target, evidence)

    async def _quic_probe(
        self, ctx: RunContext, address: str
    ) -> tuple[udpsweep.PortResult, bytes]:
        async def probe() -> tuple[udpsweep.PortResult, bytes]:
            packet, source_cid = quic.encode_probe()
            result = await udpsweep.sweep(address, [self.port], packet, self.plan)
            return result.ports[self.port], source_cid

        return await ctx.shared(f"udp-quic:{address}:{self.port}", probe)

    def _reply_summary(
        self,
        result: udpsweep.PortResult,
        target: str,
        source_cid: bytes,
        evidence: dict[str, Any],
    ) -> str:
        reply = result.reply or b""
        evidence["reply_bytes"] = len(reply)
        negotiation = quic.parse_version_negotiation(reply)
        if negotiation is not None:
            versions = [f"0x{version:08x}" for version in negotiation.versions]
            evidence["quic_versions"] = versions
            # RFC 9000 17.2.1: the server echoes the client's source CID.
            evidence["quic_cid_echoed"] = negotiation.destination_cid == source_cid
            return (
                f"{target} answered the QUIC probe with version negotiation "
                f"(versions {', '.join(versions)}) in {result.rtt_ms:g} ms."
            )
        from app.core import probe_token

        parsed = probe_token.parse_reply(reply)
        if parsed is not None:
            evidence["responder"] = True
            evidence["observed"] = parsed.observed
            return (
                f"{target} answered through the responder in {result.rtt_ms:g} "
                f"ms; it saw this network as {parsed.observed}."
            )
        return f"{target} answered in {result.rtt_ms:g} ms."

    async def _presence(self, ctx: RunContext) -> bool:
        try:
            address = await udpevidence.first_address(ctx, self.responder)
        except ProbeError:
            return False
        return await udpevidence.responder_present(
            ctx, address, self.presence_port, self.plan
        )

    async def _silent_outcome(
        self, presence: asyncio.Future[bool], target: str, evidence: dict[str, Any]
    ) -> Outcome:
        present = await presence
        evidence["responder_present"] = present
        evidence["responder_expected"] = self.responder_expected
        attempts = evidence["attempts"]
        if present or self.responder_expected:
            reason = (
                f"the responder answers on UDP {self.presence_port}"
                if present
                else "the profile says the responder runs there"
            )
            return Outcome(
                Status.FAIL,
                f"{target} got no answer to {attempts} probes although {reason}, so "
                "the path drops it.",
                self._remedy(),
                evidence,
            )
        return Outcome(
            Status.UNKNOWN,
            f"{target} got no answer to {attempts} probes and no responder answers "
            "there, so silence cannot tell open from blocked.",
            f"{self._remedy()} To verify it, run the uContact Network Check responder "
            f"on {self.responder} (UDP {self.port} and {self.presence_port}).",
            evidence,
        )
