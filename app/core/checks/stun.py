"""STUN: a binding request over UDP or TCP to the STUN host returns the mapped address."""

from __future__ import annotations

import time
from typing import Any

from app.core import remedy
from app.core.checks import Check, register
from app.core.context import RunContext
from app.core.model import Outcome, Status
from app.core.net import ProbeError, resolve_addresses, tcp_failure
from app.core.profile import Table
from app.core.stunclient import BindingResult, format_address, tcp_binding, udp_binding

TRANSPORTS = ("udp", "tcp")


def check_budget_s(timeout_s: float) -> float:
    """Return the time a probe may use, leaving the runner's timeout a margin."""
    return max(0.1, timeout_s - min(0.5, timeout_s * 0.1))


def binding_evidence(result: BindingResult) -> dict[str, Any]:
    """Return the evidence of one binding transaction (JSON-serialisable)."""
    response = result.response
    mapped = response.mapped_address if response else None
    evidence: dict[str, Any] = {
        "server": format_address(result.server),
        "transport": result.transport,
        "mapped_address": format_address(mapped) if mapped else None,
        "rtt_ms": response.rtt_ms if response else None,
        "attempts": result.attempts,
        "elapsed_ms": result.elapsed_ms,
        "local_address": (
            format_address(result.local_address) if result.local_address else None
        ),
        "error": result.error or None,
    }
    if result.detail:
        evidence["detail"] = result.detail
    if result.ignored:
        evidence["ignored_messages"] = result.ignored
        evidence["ignored_problem"] = result.ignored_problem
    if response is not None:
        evidence["mapped_attribute"] = response.mapped_attribute or None
        evidence["other_address"] = (
            format_address(response.other_address) if response.other_address else None
        )
        evidence["response_origin"] = (
            format_address(response.response_origin)
            if response.response_origin
            else None
        )
        evidence["software"] = response.software or None
        if response.error_code is not None:
            evidence["error_code"] = response.error_code
            evidence["error_reason"] = response.error_reason
    return evidence


def binding_outcome(result: BindingResult, host: str, port: int) -> Outcome:
    """Turn a binding transaction into an outcome whose remedy names host and port."""
    protocol = result.transport.upper()
    server = format_address(result.server)
    target = server if host == result.server[0] else f"{host} ({server})"
    evidence = binding_evidence(result)
    response = result.response
    allow = remedy.allow(protocol, port, host, "STUN")
    administrator = (
        f"Ask the uContact administrator to check the STUN server at {host} on "
        f"{protocol} port {port}."
    )

    if response is not None and response.ok:
        assert response.mapped_address is not None
        return Outcome(
            Status.PASS,
            f"STUN over {protocol} to {target} returned the mapped address "
            f"{format_address(response.mapped_address)} in {response.rtt_ms:g} ms.",
            evidence=evidence,
        )
    if response is not None and response.error_code is not None:
        return Outcome(
            Status.FAIL,
            f"The STUN server {target} rejected the binding request over {protocol} "
            f"with error {response.error_code} ({response.error_reason}).",
            administrator,
            evidence,
        )
    if response is not None:
        return Outcome(
            Status.FAIL,
            f"The STUN response from {target} over {protocol} carried no "
            "XOR-MAPPED-ADDRESS or MAPPED-ADDRESS.",
            administrator,
            evidence,
        )
    if result.error == "icmp-unreachable":
        return Outcome(
            Status.FAIL,
            f"ICMP port unreachable came back from {target} for {protocol} port "
            f"{port}: nothing listens there, but the path is open.",
            f"{administrator} If a firewall on this network rejects the traffic "
            f"instead, allow outbound {protocol} port {port} to {host}.",
            evidence,
        )
    if result.error == "invalid-response" or result.ignored:
        return Outcome(
            Status.FAIL,
            f"{target} sent data on {protocol} port {port} that is not a valid STUN "
            f"response ({result.ignored_problem or result.detail}): a firewall, "
            "proxy or security software may be answering in place of the STUN server.",
            allow,
            evidence,
        )
    if result.error == "timeout":
        seconds = result.elapsed_ms / 1000
        requests = "binding request" if result.attempts == 1 else "binding requests"
        return Outcome(
            Status.FAIL,
            f"No STUN response from {target} over {protocol} within {seconds:.1f} s "
            f"({result.attempts} {requests}): a firewall is probably dropping "
            f"{protocol} port {port}.",
            allow,
            evidence,
        )
    if result.error == "closed":
        return Outcome(
            Status.FAIL,
            f"The TCP connection to {target} closed before a STUN response came back "
            f"({result.detail}): a firewall or proxy may be cutting STUN over TCP.",
            allow,
            evidence,
        )
    return Outcome(
        Status.FAIL,
        f"STUN over {protocol} to {target} failed: {result.detail or result.error}.",
        allow,
        evidence,
    )


async def udp_binding_to_host(
    ctx: RunContext, host: str, port: int, budget_s: float
) -> BindingResult:
    """Run a UDP binding to `host`'s addresses in turn until one responds or time ends.

    An address that returns an ICMP error is skipped for the next one, and a timeout
    ends the search because the budget is spent. Raises ProbeError if `host` does not
    resolve.
    """
    deadline = time.monotonic() + budget_s
    addresses = await resolve_addresses(ctx, host)
    addresses.sort(key=lambda address: ":" in address)  # IPv4 first
    result: BindingResult | None = None
    for address in addresses:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            break
        result = await udp_binding((address, port), remaining)
        if result.response is not None or result.error == "timeout":
            break
    if result is None:
        return BindingResult(
            "udp",
            (host, port),
            0,
            0.0,
            error="timeout",
            detail="no time was left after name resolution",
        )
    return result


@register
class StunCheck(Check):
    kind = "stun"

    def configure(self, params: Table) -> None:
        self.transport = params.str("transport", example='"udp"')
        if self.transport not in TRANSPORTS:
            raise params.error(
                "transport",
                f"must be udp or tcp (got {self.transport!r})",
                'write transport = "udp"',
            )
        self.host = params.str("host", example='"stun.ucontactcloud.com"')
        self.port = params.port("port", 3478)

    def hosts(self) -> list[str]:
        return [self.host]

    async def run(self, ctx: RunContext) -> Outcome:
        budget_s = check_budget_s(self.spec.timeout_s)
        try:
            if self.transport == "udp":
                result = await udp_binding_to_host(ctx, self.host, self.port, budget_s)
            else:
                result = await tcp_binding(ctx, self.host, self.port, budget_s)
        except ProbeError as error:
            outcome = tcp_failure(error, "STUN")
            evidence = {
                "server": f"{self.host}:{self.port}",
                "transport": self.transport,
                "mapped_address": None,
                "rtt_ms": None,
                "attempts": 0,
                **outcome.evidence,
            }
            return Outcome(outcome.status, outcome.summary, outcome.remedy, evidence)
        return binding_outcome(result, self.host, self.port)
