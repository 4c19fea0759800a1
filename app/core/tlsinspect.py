"""TLS inspection of one host and port: the chain sent, its trust in both stores, AIA.

The inspection makes two handshakes. The first, the collection handshake, only reads
what the server sends. The chain is then verified here against the browser store,
completed from the leaf's AIA URL when an intermediate is missing, as Chrome does, and
a second handshake verifies it against the OS store.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import Awaitable
from dataclasses import dataclass, field

from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding

from app.core import tlschain
from app.core.context import RunContext
from app.core.net import ProbeError
from app.core.tlsaia import AiaCompletion, complete_from_aia
from app.core.tlshandshake import (
    CertificateRejected,
    Handshake,
    chain_of,
    collect,
    discard,
    tls_connect,
)

log = logging.getLogger(__name__)

# Verify codes meaning the chain itself was trusted: only the name or the dates failed.
# OpenSSL: X509_V_ERR_CERT_NOT_YET_VALID 9, _CERT_HAS_EXPIRED 10, _HOSTNAME_MISMATCH 62,
# _IP_ADDRESS_MISMATCH 64. Windows (truststore): CERT_E_EXPIRED 0x800B0101,
# CERT_E_CN_NO_MATCH 0x800B010F.
# NOTE: the Windows and macOS codes are not exercised by any test here.
NAME_OR_TIME_CODES = frozenset({9, 10, 62, 64, 0x800B0101, 0x800B010F})


@dataclass
class OsTrust:
    """The OS store's verdict from a verifying handshake.

    `chain_trusted` is None when that handshake could not be made. It is True when
    the handshake succeeded or failed only on the host name or the dates.
    """

    chain_trusted: bool | None
    error: str = ""
    verify_code: int | None = None
    path: list[x509.Certificate] = field(default_factory=list)

    @property
    def root(self) -> x509.Certificate | None:
        return self.path[-1] if self.path else None


@dataclass
class Inspection:
    host: str
    port: int
    handshake: Handshake
    browser: tlschain.BrowserTrust
    os: OsTrust
    aia: AiaCompletion
    checked_at: dt.datetime

    @property
    def leaf(self) -> x509.Certificate:
        return self.handshake.chain[0]

    @property
    def top(self) -> x509.Certificate:
        """The last certificate of the chain as sent, following issuer names."""
        return tlschain.top_of_chain(self.leaf, self.handshake.chain[1:])

    def extra_cadata(self) -> str | None:
        """Return the AIA-downloaded intermediates as PEM, for a verifying context."""
        if not self.aia.certificates:
            return None
        pem = b"".join(c.public_bytes(Encoding.PEM) for c in self.aia.certificates)
        return pem.decode("ascii")


async def verify_os(
    ctx: RunContext, host: str, port: int, cadata: str | None, timeout_s: float
) -> OsTrust:
    """Verify the server against the OS store with a second, verifying handshake."""
    try:
        connection, ssl_object, _ = await tls_connect(
            ctx, host, port, ctx.os_ssl_context(cadata), timeout_s
        )
    except CertificateRejected as exc:
        log.info("TLS %s:%d: OS store rejects the chain: %s", host, port, exc.message)
        trusted = exc.verify_code in NAME_OR_TIME_CODES
        return OsTrust(trusted, exc.message, exc.verify_code)
    except ProbeError as exc:
        log.info("TLS %s:%d: OS store handshake failed: %s", host, port, exc.message)
        return OsTrust(None, exc.message)
    try:
        path = chain_of(ssl_object, verified=True)
    finally:
        await discard(connection)
    return OsTrust(True, path=path)


async def inspect(
    ctx: RunContext, host: str, port: int, timeout_s: float
) -> Inspection:
    """Inspect TLS on `host:port` within about `timeout_s`.

    Raises ProbeError when no chain could be collected.

    Half the time goes to the collection handshake, a quarter to the AIA download
    and the rest, up to 90 %, to the OS store handshake.
    """
    loop = asyncio.get_running_loop()
    deadline = loop.time() + 0.9 * timeout_s
    handshake = await collect(ctx, host, port, 0.5 * timeout_s)

    now = dt.datetime.now(dt.UTC)
    roots = ctx.browser_roots()
    leaf, sent = handshake.chain[0], handshake.chain[1:]
    browser = tlschain.verify_browser(roots, leaf, sent, host, now)

    aia = AiaCompletion()
    if not browser.trusted:
        aia = await complete_from_aia(ctx, leaf, sent, roots, 0.25 * timeout_s)
        if aia.certificates:
            browser = tlschain.verify_browser(
                roots, leaf, sent + aia.certificates, host, now
            )

    inspection = Inspection(host, port, handshake, browser, OsTrust(None), aia, now)
    remaining = max(deadline - loop.time(), 0.1 * timeout_s)
    inspection.os = await verify_os(
        ctx, host, port, inspection.extra_cadata(), remaining
    )
    return inspection


def shared_inspection(
    ctx: RunContext, host: str, port: int, timeout_s: float
) -> Awaitable[Inspection]:
    """Return the run's one inspection of `host:port`, started by its first caller."""
    return ctx.shared(f"tls:{host}:{port}", lambda: inspect(ctx, host, port, timeout_s))
