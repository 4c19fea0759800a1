"""TCP connection helpers that turn network conditions into typed probe errors."""

from __future__ import annotations

import asyncio
import errno
import ssl
import time
from dataclasses import dataclass

from app.core import remedy
from app.core.context import RunContext
from app.core.model import Outcome, Status


@dataclass
class ProbeError(Exception):
    """A network condition met by a probe: stage, kind and the sentence to show."""

    stage: str  # dns, tcp, tls, http, websocket, sip, stun
    kind: str  # refused, timeout, unreachable, nxdomain, ...
    message: str
    host: str = ""
    port: int | None = None

    def __str__(self) -> str:
        return self.message


@dataclass
class TcpConnection:
    reader: asyncio.StreamReader
    writer: asyncio.StreamWriter
    address: str
    connect_ms: float

    async def close(self) -> None:
        self.writer.close()
        try:
            await asyncio.wait_for(self.writer.wait_closed(), 1.0)
        except (OSError, TimeoutError, ssl.SSLError):
            pass


def os_error_kind(error: OSError) -> str:
    """Classify a failed connect: no-route (this computer), unreachable or error."""
    if error.errno == errno.ENETUNREACH:
        return "no-route"
    if error.errno == errno.EHOSTUNREACH:
        return "unreachable"
    return "error"


async def resolve_addresses(ctx: RunContext, host: str) -> list[str]:
    resolution = await ctx.resolve(host)
    if not resolution.ok:
        raise ProbeError(
            "dns", resolution.error or "no-answer", resolution.describe(), host
        )
    return list(resolution.addresses)


async def open_tcp(
    ctx: RunContext,
    host: str,
    port: int,
    timeout_s: float,
    *,
    tls: ssl.SSLContext | None = None,
) -> TcpConnection:
    """Connect to `host:port`, trying each resolved address within `timeout_s` in all.

    With `tls`, the TLS handshake is part of the connection, with `host` as SNI.
    Raises ProbeError for DNS, TCP and TLS failures.
    """
    try:
        addresses = await resolve_addresses(ctx, host)
    except ProbeError as error:
        error.port = port  # so the DNS remedy can name the connection too
        raise
    deadline = time.monotonic() + timeout_s
    last: ProbeError | None = None
    for address in addresses:
        target = f"{host}:{port}" if address == host else f"{host}:{port} ({address})"
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            break
        started = time.perf_counter()
        try:
            async with asyncio.timeout(remaining):
                reader, writer = await asyncio.open_connection(
                    address,
                    port,
                    ssl=tls,
                    server_hostname=host if tls else None,
                    ssl_handshake_timeout=remaining if tls else None,
                )
        except ssl.SSLCertVerificationError as exc:
            raise ProbeError(
                "tls",
                "verify",
                f"the TLS certificate of {host}:{port} "
                f"was rejected: {exc.verify_message}",
                host,
                port,
            ) from None
        except ssl.SSLError as exc:
            raise ProbeError(
                "tls",
                "handshake",
                f"the TLS handshake with {host}:{port} failed: {exc.reason or exc}",
                host,
                port,
            ) from None
        except ConnectionRefusedError:
            last = ProbeError(
                "tcp",
                "refused",
                f"TCP connection to {target} was refused",
                host,
                port,
            )
        except TimeoutError:
            last = ProbeError(
                "tcp",
                "timeout",
                f"TCP connection to {target} got no answer within {timeout_s:g} s",
                host,
                port,
            )
        except OSError as exc:
            last = ProbeError(
                "tcp",
                os_error_kind(exc),
                f"TCP connection to {target} failed: {exc.strerror or exc}",
                host,
                port,
            )
        else:
            connect_ms = round((time.perf_counter() - started) * 1000, 1)
            return TcpConnection(reader, writer, address, connect_ms)
    assert last is not None or not addresses
    raise last or ProbeError(
        "tcp", "timeout", f"no time left to connect to {host}:{port}", host, port
    )


TCP_EXPLANATIONS = {
    "refused": "a firewall rejected it, or nothing listens there",
    "timeout": "a firewall is probably dropping it silently",
    "unreachable": "no route reaches the host, as a router or this computer reported",
    "no-route": "this computer has no route to that network (no connection, or a "
    "VPN or firewall rule)",
}


def tcp_failure(error: ProbeError, purpose: str = "") -> Outcome:
    """Turn a DNS or TCP ProbeError into a failed outcome with the matching remedy."""
    evidence = {"stage": error.stage, "error": error.kind, "detail": error.message}
    if error.stage == "dns":
        fix = remedy.fix_dns(error.host, error.port, "TCP", purpose, error.kind)
        return Outcome(Status.FAIL, error.message + ".", fix, evidence)
    explanation = TCP_EXPLANATIONS.get(error.kind)
    summary = error.message + (f": {explanation}." if explanation else ".")
    return Outcome(
        Status.FAIL,
        summary,
        remedy.allow("TCP", error.port or "", error.host, purpose),
        evidence,
    )
