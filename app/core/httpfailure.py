"""Network conditions met by HTTP and WebSocket requests, and their remedies."""

from __future__ import annotations

from dataclasses import dataclass

from app.core import remedy
from app.core.net import TCP_EXPLANATIONS
from app.core.resolve import Resolution

# OpenSSL verify codes (include/openssl/x509_vfy.h) that mean "another server answered":
# a certificate for another name, or one from an issuer the store does not contain.
_HOSTNAME_CODES = {62}  # X509_V_ERR_HOSTNAME_MISMATCH
_ISSUER_CODES = {2, 18, 19, 20, 21}  # unable to get issuer, self-signed, local issuer
_EXPIRED_CODES = {10}  # X509_V_ERR_CERT_HAS_EXPIRED


class ResolutionError(OSError):
    """A failed lookup, raised to aiohttp with the run's Resolution attached."""

    def __init__(self, resolution: Resolution) -> None:
        super().__init__(resolution.describe())
        self.resolution = resolution


@dataclass(frozen=True)
class HttpFailure:
    """A network condition met by a request, with the sentence that describes it.

    `stage` is dns, tcp, tls, http or websocket, and `kind` refines it. For dns it is
    the Resolution's error. For tcp it is refused, timeout, unreachable or error.
    For tls it is hostname, issuer, expired, verify or handshake. For http it is
    timeout, protocol or closed, and for websocket rejected or invalid.
    """

    stage: str
    kind: str
    message: str
    url: str
    host: str
    port: int
    protocol: str  # HTTP, HTTPS, WS or WSS, for the remedy
    status: int | None = None
    redirects: tuple[str, ...] = ()  # each Location followed before the failure

    @property
    def impersonated(self) -> bool:
        """True when the certificate shows that another server took the host's place."""
        return self.stage == "tls" and self.kind in ("hostname", "issuer")


def portal_remedy(host: str, port: int, protocol: str) -> str:
    """Return the remedy for another server (portal, filter, proxy) answering for `host`."""
    # Plain HTTP is filtered but never decrypted, so TLS inspection is named only
    # for the encrypted protocols.
    inspection = " and TLS inspection" if protocol in ("HTTPS", "WSS") else ""
    return (
        f"{remedy.allow('TCP', port, host, protocol)} If this network has a "
        f"captive portal, sign in to it; otherwise exempt {host} (TCP {port}, "
        f"{protocol}) from web filtering{inspection}."
    )


def describe(failure: HttpFailure) -> str:
    """Return a sentence (without the final period) explaining `failure`."""
    explanation = TCP_EXPLANATIONS.get(failure.kind) if failure.stage == "tcp" else None
    text = failure.message
    if explanation:
        text += f": {explanation}"
    if failure.impersonated:
        text += (
            f": something else answered in place of {failure.host} (a captive "
            "portal, web filter or TLS-inspecting proxy)"
        )
    return text


def remedy_for(failure: HttpFailure, purpose: str = "") -> str:
    """Return the remedy for `failure`, naming its host, port and protocol."""
    label = purpose or failure.protocol
    if failure.stage == "dns":
        return remedy.fix_dns(failure.host, failure.port, "TCP", label, failure.kind)
    allow = remedy.allow("TCP", failure.port, failure.host, label)
    if failure.impersonated:
        return portal_remedy(failure.host, failure.port, failure.protocol)
    if failure.stage == "tls" and failure.kind == "expired":
        return (
            f"Check this computer's date and time. If they are right, the operator "
            f"of {failure.host} must renew the certificate on TCP port "
            f"{failure.port} ({failure.protocol})."
        )
    if failure.stage in ("tls", "http", "websocket"):
        return (
            f"{allow} If a proxy, web filter or security product sits on the path, "
            f"let {failure.protocol} to {failure.host} on TCP port {failure.port} "
            "pass unmodified."
        )
    return allow


def resolution_of(exc: BaseException) -> Resolution | None:
    """Find the ResolutionError that aiohttp wrapped in a ClientConnectorDNSError."""
    seen: BaseException | None = exc
    for _ in range(4):
        if seen is None:
            break
        if isinstance(seen, ResolutionError):
            return seen.resolution
        seen = getattr(seen, "os_error", None) or seen.__cause__
    return None


def certificate_kind(error: BaseException) -> tuple[str, str]:
    code = getattr(error, "verify_code", None)
    text = (getattr(error, "verify_message", None) or str(error)).rstrip(".")
    lowered = text.lower()
    if code in _HOSTNAME_CODES or "hostname" in lowered or "not valid for" in lowered:
        return "hostname", text
    if code in _EXPIRED_CODES or "expired" in lowered:
        return "expired", text
    if (
        code in _ISSUER_CODES
        or "issuer" in lowered
        or "self-signed" in lowered
        or "self signed" in lowered
        or "untrusted" in lowered
    ):
        return "issuer", text
    return "verify", text
