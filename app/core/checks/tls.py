"""TLS of one host and port: version, cipher, certificate and chain, judged for Chrome."""

from __future__ import annotations

from app.core.checks import Check, register
from app.core.context import RunContext
from app.core.model import Outcome, Status
from app.core.net import ProbeError, tcp_failure
from app.core.profile import Table
from app.core.tlsfindings import TlsJudgement
from app.core.tlsinspect import shared_inspection


def handshake_failure(error: ProbeError) -> Outcome:
    """Turn a TLS-stage ProbeError (TCP connected, no usable handshake) into a fail."""
    host, port = error.host, error.port
    explanation = {
        "timeout": "a firewall or inspection device may be holding the TLS traffic, "
        "or the server is stuck",
        "not-tls": "something other than a TLS server answers on that port, such as "
        "a proxy or captive portal",
        "closed": "a firewall or inspection device may be cutting TLS connections",
        "handshake": "the server and this computer share no TLS version or cipher, "
        "or a device on the path broke the handshake",
    }.get(error.kind, "")
    summary = error.message[0].upper() + error.message[1:]
    summary += f": {explanation}." if explanation else "."
    fix = (
        f"Check that no proxy, firewall or antivirus blocks or alters TLS to {host} on "
        f"TCP port {port}; if nothing does, ask the uContact administrator to check "
        f"the TLS service of {host} on TCP port {port}."
    )
    evidence = {"stage": error.stage, "error": error.kind, "detail": error.message}
    return Outcome(Status.FAIL, summary, fix, evidence)


@register
class TlsCheck(Check):
    kind = "tls"

    def configure(self, params: Table) -> None:
        self.host: str = params.str("host", example='"{instance}.ucontactcloud.com"')
        self.port: int = params.port("port", 443)
        thresholds = Table(self.profile.thresholds, self.profile.path, "thresholds")
        self.warn_days = thresholds.integer(
            "certificate_expiry_warn_days", 30, minimum=0, maximum=3650, example="30"
        )

    def hosts(self) -> list[str]:
        return [self.host]

    async def run(self, ctx: RunContext) -> Outcome:
        try:
            inspection = await shared_inspection(
                ctx, self.host, self.port, self.spec.timeout_s
            )
        except ProbeError as error:
            if error.stage in ("dns", "tcp"):
                return tcp_failure(error, "TLS")
            return handshake_failure(error)
        judgement = TlsJudgement(
            inspection, self.profile, self.warn_days, ctx.browser_store_name()
        )
        return judgement.outcome()
