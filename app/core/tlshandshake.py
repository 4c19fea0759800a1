"""TLS handshakes that tell TCP, TLS and certificate failures apart.

The collection handshake verifies nothing and accepts old versions and weak ciphers,
so that it can read the chain of any server. No application data goes over it.
"""

from __future__ import annotations

import asyncio
import logging
import ssl
import warnings
from dataclasses import dataclass

from cryptography import x509

from app.core.context import RunContext
from app.core.net import ProbeError, TcpConnection, open_tcp

log = logging.getLogger(__name__)

ALPN_OFFER = ("h2", "http/1.1")

# OpenSSL reasons meaning the peer did not speak TLS at all.
_NOT_TLS_REASONS = frozenset(
    {
        "WRONG_VERSION_NUMBER",
        "UNKNOWN_PROTOCOL",
        "PACKET_LENGTH_TOO_LONG",
        "RECORD_LAYER_FAILURE",
        "HTTP_REQUEST",
        "UNEXPECTED_RECORD",
    }
)


@dataclass
class CertificateRejected(ProbeError):
    """A verifying handshake that rejected the certificate, with the verify code."""

    verify_code: int | None = None


@dataclass
class Handshake:
    """What the collection handshake saw: the negotiated parameters and the chain."""

    address: str
    version: str
    cipher: str
    cipher_bits: int
    alpn: str | None
    chain: list[x509.Certificate]  # leaf first, in the order the server sent them
    connect_ms: float
    handshake_ms: float


def collection_context() -> ssl.SSLContext:
    """Return a context that reads any server's chain; it must never carry data."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        context.minimum_version = ssl.TLSVersion.TLSv1
    # Modern ciphers first; the weak ones only let a weak server show itself. The
    # security level comes first because OpenSSL drops weaker ciphers while parsing.
    context.set_ciphers("@SECLEVEL=0:DEFAULT:ALL:eNULL:!aNULL")
    context.set_alpn_protocols(list(ALPN_OFFER))
    return context


def chain_of(
    ssl_object: ssl.SSLObject, *, verified: bool = False
) -> list[x509.Certificate]:
    """Return the peer's chain: as sent, or as verified (ending at the root).

    The methods are public from Python 3.13; 3.11 and 3.12 have them on the
    private `_sslobj`.
    """
    name = "get_verified_chain" if verified else "get_unverified_chain"
    getter = getattr(ssl_object, name, None)
    if getter is None:
        getter = getattr(ssl_object._sslobj, name)  # type: ignore[attr-defined]
    certs = getter() or []
    der_encoding = ssl._ssl.ENCODING_DER  # type: ignore[attr-defined]
    ders = [c if isinstance(c, bytes) else c.public_bytes(der_encoding) for c in certs]
    return [x509.load_der_x509_certificate(der) for der in ders]


async def discard(connection: TcpConnection) -> None:
    """Close a connection without waiting long for the peer's close_notify."""
    connection.writer.close()
    try:
        await asyncio.wait_for(connection.writer.wait_closed(), 0.5)
    except (OSError, TimeoutError, ssl.SSLError):
        pass
    connection.writer.transport.abort()


async def tls_connect(
    ctx: RunContext, host: str, port: int, context: ssl.SSLContext, timeout_s: float
) -> tuple[TcpConnection, ssl.SSLObject, float]:
    """Connect over TCP, then shake hands, telling the two stages apart.

    Returns the connection, its SSLObject and the handshake time in ms. Raises
    ProbeError (CertificateRejected for a rejected certificate).
    """
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout_s
    connection = await open_tcp(ctx, host, port, timeout_s)
    remaining = max(deadline - loop.time(), 0.05)
    where = f"{host}:{port} ({connection.address})"
    started = loop.time()
    try:
        async with asyncio.timeout(remaining):
            await connection.writer.start_tls(
                context, server_hostname=host, ssl_handshake_timeout=remaining + 1
            )
    except ssl.SSLCertVerificationError as exc:
        connection.writer.transport.abort()
        raise CertificateRejected(
            "tls",
            "verify",
            f"the TLS certificate of {where} was rejected: {exc.verify_message or exc}",
            host,
            port,
            exc.verify_code,
        ) from None
    except ssl.SSLError as exc:
        connection.writer.transport.abort()
        reason = exc.reason or str(exc)
        if reason in _NOT_TLS_REASONS:
            raise ProbeError(
                "tls",
                "not-tls",
                f"TCP to {where} connected, but the "
                f"server did not answer with TLS ({reason})",
                host,
                port,
            ) from None
        raise ProbeError(
            "tls",
            "handshake",
            f"the TLS handshake with {where} failed: {reason}",
            host,
            port,
        ) from None
    except TimeoutError:
        connection.writer.transport.abort()
        raise ProbeError(
            "tls",
            "timeout",
            f"TCP to {where} connected, but the server "
            f"did not complete the TLS handshake within {remaining:.1f} s",
            host,
            port,
        ) from None
    except OSError as exc:
        connection.writer.transport.abort()
        detail = exc.strerror or str(exc) or type(exc).__name__
        raise ProbeError(
            "tls",
            "closed",
            f"the server {where} closed the connection "
            f"during the TLS handshake ({detail})",
            host,
            port,
        ) from None
    handshake_ms = round((loop.time() - started) * 1000, 1)
    ssl_object = connection.writer.get_extra_info("ssl_object")
    return connection, ssl_object, handshake_ms


async def collect(ctx: RunContext, host: str, port: int, timeout_s: float) -> Handshake:
    """Make the collection handshake and return what the server sent."""
    connection, ssl_object, handshake_ms = await tls_connect(
        ctx, host, port, collection_context(), timeout_s
    )
    try:
        cipher, _, bits = ssl_object.cipher() or ("", "", 0)
        chain = chain_of(ssl_object)
        handshake = Handshake(
            address=connection.address,
            version=ssl_object.version() or "",
            cipher=cipher,
            cipher_bits=bits or 0,
            alpn=ssl_object.selected_alpn_protocol(),
            chain=chain,
            connect_ms=connection.connect_ms,
            handshake_ms=handshake_ms,
        )
    finally:
        await discard(connection)
    if not chain:
        raise ProbeError(
            "tls",
            "no-certificate",
            f"the server {host}:{port} completed "
            "the TLS handshake without sending a certificate",
            host,
            port,
        )
    log.info(
        "TLS %s:%d: %s %s, %d certificates sent",
        host,
        port,
        handshake.version,
        handshake.cipher,
        len(chain),
    )
    return handshake
