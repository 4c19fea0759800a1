"""NAT behaviour after RFC 5780: mapping and filtering tests through STUN."""

from __future__ import annotations

from app.core import remedy
from app.core.checks import Check, register
from app.core.context import RunContext
from app.core.model import Outcome, Status
from app.core.profile import Table


@register
class NatCheck(Check):
    kind = "nat"

    def configure(self, params: Table) -> None:
        self.stun_host = params.str("stun_host", example='"stun.ucontactcloud.com"')
        self.stun_port = params.port("stun_port", 3478)

    def hosts(self) -> list[str]:
        return [self.stun_host]

    async def run(self, ctx: RunContext) -> Outcome:
        # TODO: run the RFC 5780 mapping and filtering tests.
        return Outcome(
            Status.UNKNOWN,
            "NAT behaviour is not measured yet.",
            remedy.allow("UDP", self.stun_port, self.stun_host, "STUN"),
        )
