"""Chrome IPs: TCP connects and STUN bindings to fixed addresses that Chrome uses."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from typing import Any

from app.core.checks import Check, register
from app.core.checks.stun import (
    binding_evidence,
    binding_outcome,
    check_budget_s,
    udp_binding_to_host,
)
from app.core.context import RunContext
from app.core.model import Outcome, Status
from app.core.net import ProbeError, open_tcp, tcp_failure
from app.core.profile import ProfileError, Table


@dataclass(frozen=True)
class Target:
    host: str
    port: int

    def __str__(self) -> str:
        return (
            f"[{self.host}]:{self.port}"
            if ":" in self.host
            else f"{self.host}:{self.port}"
        )


def parse_target(text: str) -> Target:
    """Parse "ip:port", "[ipv6]:port" or "host:port", raising ValueError if invalid."""
    host, separator, port_text = text.strip().rpartition(":")
    if not separator or not host:
        raise ValueError("no port")
    if host.startswith("[") and host.endswith("]"):
        host = host[1:-1]
    elif ":" in host:
        raise ValueError("an IPv6 address needs brackets")
    if not port_text.isdigit() or not 1 <= int(port_text) <= 65535:
        raise ValueError("the port must be from 1 to 65535")
    return Target(host, int(port_text))


def _targets(params: Table, key: str, example: str) -> list[Target]:
    texts = params.str_list(key, [], example=example, allow_empty=True)
    targets = []
    for text in texts:
        try:
            targets.append(parse_target(text))
        except ValueError as exc:
            raise params.error(
                key,
                f"has the invalid target {text!r} ({exc})",
                f"write it as {key} = {example}",
            ) from None
    return targets


@dataclass(frozen=True)
class TargetOutcome:
    protocol: str
    target: Target
    outcome: Outcome


@register
class ChromeIpsCheck(Check):
    kind = "chrome-ips"

    def configure(self, params: Table) -> None:
        self.tcp_targets = _targets(params, "tcp_targets", '["104.197.204.63:443"]')
        self.stun_targets = _targets(params, "stun_targets", '["74.125.134.127:19302"]')
        if not self.tcp_targets and not self.stun_targets:
            raise ProfileError(
                f"{self.profile.path}: check {self.spec.id!r} has neither tcp_targets "
                'nor stun_targets; fix: add tcp_targets = ["104.197.204.63:443"].'
            )

    def hosts(self) -> list[str]:
        return sorted({t.host for t in self.tcp_targets + self.stun_targets})

    async def run(self, ctx: RunContext) -> Outcome:
        budget_s = check_budget_s(self.spec.timeout_s)
        probes = [self._tcp(ctx, t, budget_s) for t in self.tcp_targets]
        probes += [self._stun(ctx, t, budget_s) for t in self.stun_targets]
        results: list[TargetOutcome] = await asyncio.gather(*probes)

        evidence: dict[str, Any] = {
            "tcp": {
                str(r.target): dict(r.outcome.evidence)
                for r in results
                if r.protocol == "TCP"
            },
            "stun": {
                str(r.target): dict(r.outcome.evidence)
                for r in results
                if r.protocol == "UDP"
            },
        }
        failed = [r for r in results if r.outcome.status is not Status.PASS]
        if not failed:
            return Outcome(
                Status.PASS,
                f"All {len(results)} Chrome addresses answered: "
                + ", ".join(_label(r) for r in results)
                + ".",
                evidence=evidence,
            )
        return Outcome(
            Status.FAIL,
            f"{len(failed)} of {len(results)} Chrome addresses did not answer. "
            + " ".join(r.outcome.summary for r in failed),
            " ".join(r.outcome.remedy for r in failed),
            evidence,
        )

    async def _tcp(
        self, ctx: RunContext, target: Target, budget_s: float
    ) -> TargetOutcome:
        started = time.monotonic()
        try:
            connection = await open_tcp(ctx, target.host, target.port, budget_s)
        except ProbeError as error:
            outcome = tcp_failure(error, "Chrome")
            evidence = {"ok": False, "connect_ms": None, **outcome.evidence}
            return TargetOutcome(
                "TCP",
                target,
                Outcome(outcome.status, outcome.summary, outcome.remedy, evidence),
            )
        await connection.close()
        evidence = {
            "ok": True,
            "address": connection.address,
            "connect_ms": connection.connect_ms,
            "elapsed_ms": round((time.monotonic() - started) * 1000, 1),
        }
        return TargetOutcome(
            "TCP",
            target,
            Outcome(
                Status.PASS,
                f"connected in {connection.connect_ms:g} ms",
                evidence=evidence,
            ),
        )

    async def _stun(
        self, ctx: RunContext, target: Target, budget_s: float
    ) -> TargetOutcome:
        try:
            result = await udp_binding_to_host(ctx, target.host, target.port, budget_s)
        except ProbeError as error:
            outcome = tcp_failure(error)
            return TargetOutcome(
                "UDP",
                target,
                Outcome(
                    outcome.status,
                    outcome.summary,
                    outcome.remedy,
                    {"ok": False, "mapped_address": None, **outcome.evidence},
                ),
            )
        outcome = binding_outcome(result, target.host, target.port)
        evidence = {"ok": outcome.status is Status.PASS, **binding_evidence(result)}
        return TargetOutcome(
            "UDP",
            target,
            Outcome(outcome.status, outcome.summary, outcome.remedy, evidence),
        )


def _label(result: TargetOutcome) -> str:
    if result.protocol == "TCP":
        return f"TCP {result.target}"
    return f"STUN on UDP {result.target}"
