"""DNS: every host that the other checks use resolves through the system resolver."""

from __future__ import annotations

import asyncio

from app.core import remedy
from app.core.checks import Check, register
from app.core.context import RunContext
from app.core.model import Outcome, Severity, Status
from app.core.resolve import ERRORS, is_ip_literal


@register
class DnsCheck(Check):
    kind = "dns"

    async def run(self, ctx: RunContext) -> Outcome:
        hosts = [host for host in ctx.hosts if not is_ip_literal(host)]
        if not hosts:
            return Outcome(
                Status.PASS, "No host names to resolve.", evidence={"hosts": {}}
            )

        resolutions = await asyncio.gather(*(ctx.resolve(host) for host in hosts))

        evidence = {
            r.host: {
                "addresses": list(r.addresses),
                "error": r.error,
                "time_ms": r.elapsed_ms,
            }
            for r in resolutions
        }
        nameservers = next((r.nameservers for r in resolutions if r.nameservers), ())
        failed = [r for r in resolutions if not r.ok]
        required_failed = [
            r for r in failed if ctx.hosts.get(r.host) == Severity.REQUIRED.value
        ]
        slowest = max(r.elapsed_ms for r in resolutions)
        facts = {
            "hosts": evidence,
            "nameservers": list(nameservers),
            "max_time_ms": slowest,
        }
        if not failed:
            return Outcome(
                Status.PASS,
                f"All {len(hosts)} hosts resolved (slowest {slowest:g} ms).",
                evidence=facts,
            )

        lines = [f"{r.host}: {ERRORS.get(r.error or '', r.error)}" for r in failed]
        by_error: dict[str | None, list[str]] = {}
        for resolution in failed:
            by_error.setdefault(resolution.error, []).append(resolution.host)
        remedies = " ".join(
            remedy.fix_dns(", ".join(names), error=error)
            for error, names in by_error.items()
        )
        if nameservers and set(by_error) & {"timeout", "servfail", "refused"}:
            servers = ", ".join(nameservers)
            remedies += f" This computer's DNS servers are {servers}."
        status = Status.FAIL if required_failed else Status.WARN
        summary = (
            f"{len(failed)} of {len(hosts)} hosts did not resolve: "
            + "; ".join(lines)
            + "."
        )
        return Outcome(status, summary, remedies, facts)
