"""Chain completion from AIA caIssuers URLs, as Chrome fetches missing intermediates."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from cryptography import x509

from app.core import tlschain
from app.core.context import RunContext
from app.core.httpclient import HttpClient
from app.core.httpfailure import HttpFailure, describe

log = logging.getLogger(__name__)

AIA_MAX_BYTES = 64 * 1024
# An intermediate's AIA may point further up; Chrome follows a few links.
AIA_MAX_FETCHES = 2


@dataclass
class AiaCompletion:
    """The attempt to download a missing intermediate from an AIA caIssuers URL."""

    url: str | None = None  # the first URL tried
    fetched: list[str] = field(default_factory=list)  # URLs that gave the issuer
    certificates: list[x509.Certificate] = field(default_factory=list)
    failure: HttpFailure | None = None  # the download failed before an HTTP response
    problem: str = ""  # the response was not the missing issuer

    @property
    def error(self) -> str:
        if self.failure is not None:
            return describe(self.failure)
        return self.problem


async def _fetch_issuer(
    ctx: RunContext, url: str, top: x509.Certificate, timeout_s: float
) -> tuple[x509.Certificate | None, HttpFailure | None, str]:
    """Download the issuer of `top` from `url`; return it, or why not."""
    async with HttpClient(ctx, timeout_s) as client:
        answer = await client.fetch(url, max_body_bytes=AIA_MAX_BYTES, max_redirects=2)
    if isinstance(answer, HttpFailure):
        return None, answer, ""
    if answer.status != 200:
        return None, None, f"{url} answered HTTP {answer.status}, not a certificate"
    if answer.truncated:
        return None, None, f"{url} sent more than {AIA_MAX_BYTES} bytes"
    cert = tlschain.parse_certificate(answer.body)
    if cert is None:
        kind = answer.content_type or "data"
        return None, None, f"{url} sent {kind} that is not a certificate"
    if cert.subject != top.issuer:
        return (
            None,
            None,
            (
                f"{url} sent {tlschain.subject_of(cert)}, not the missing "
                f"issuer {tlschain.issuer_of(top)}"
            ),
        )
    return cert, None, ""


async def complete_from_aia(
    ctx: RunContext,
    leaf: x509.Certificate,
    sent: list[x509.Certificate],
    roots: list[x509.Certificate],
    timeout_s: float,
) -> AiaCompletion:
    """Download missing intermediates from caIssuers URLs, as Chrome does."""
    completion = AiaCompletion()
    chain = list(sent)
    for _ in range(AIA_MAX_FETCHES):
        top = tlschain.top_of_chain(leaf, chain)
        if not tlschain.issuer_missing(top, roots):
            break
        url = tlschain.ca_issuers_url(top)
        if url is None:
            break
        completion.url = completion.url or url
        cert, failure, problem = await _fetch_issuer(ctx, url, top, timeout_s)
        if cert is None:
            completion.failure, completion.problem = failure, problem
            log.info("AIA %s failed: %s", url, completion.error)
            break
        log.info("AIA %s gave %s", url, tlschain.subject_of(cert))
        completion.fetched.append(url)
        completion.certificates.append(cert)
        chain.append(cert)
    return completion
