"""Shared UDP probes of one run: token probes per port and the responder's presence.

Checks ask through `RunContext.shared`, so a port probed by one check (UDP 8089,
say) also serves as proof for another that the responder runs, without a second
datagram.
"""

from __future__ import annotations

from app.core import probe_token, udpsweep
from app.core.context import RunContext
from app.core.net import ProbeError, resolve_addresses


async def first_address(ctx: RunContext, host: str) -> str:
    """Return the first address of `host`; raises ProbeError when it does not resolve."""
    addresses = await resolve_addresses(ctx, host)
    ipv4 = [address for address in addresses if ":" not in address]
    return (ipv4 or addresses)[0]


async def token_probe(
    ctx: RunContext, address: str, port: int, plan: udpsweep.SweepPlan
) -> udpsweep.PortResult:
    """Send token probes to one port (memoised per run) and return its result."""

    async def probe() -> udpsweep.PortResult:
        payload = probe_token.encode_probe(probe_token.new_token())
        result = await udpsweep.sweep(address, [port], payload, plan)
        return result.ports[port]

    return await ctx.shared(f"udp-token:{address}:{port}", probe)


def is_responder_reply(result: udpsweep.PortResult) -> bool:
    return (
        result.reply is not None and probe_token.parse_reply(result.reply) is not None
    )


async def responder_present(
    ctx: RunContext, address: str, port: int, plan: udpsweep.SweepPlan
) -> bool:
    """Return whether the responder answered a token probe on UDP `port` of `address`."""
    return is_responder_reply(await token_probe(ctx, address, port, plan))


def dns_failure(error: ProbeError, protocol: str, port: int | str) -> tuple[str, str]:
    """Return the summary and the remedy for a responder host that does not resolve."""
    from app.core import remedy

    return (
        f"{error.message}, so {protocol} {port} could not be probed.",
        remedy.fix_dns(error.host, port, protocol, error=error.kind),
    )
