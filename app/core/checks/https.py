"""HTTPS: one GET of the web app over a connection verified against the OS store."""

from __future__ import annotations

import asyncio
import logging
import socket
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import aiohttp
from aiohttp.abc import AbstractResolver, ResolveResult

from app.core.checks import Check, register
from app.core.checks.tls import handshake_failure
from app.core.context import RunContext
from app.core.httpclient import resolve_result
from app.core.model import Outcome, Status
from app.core.net import ProbeError, tcp_failure
from app.core.profile import Table
from app.core.tlshandshake import ALPN_OFFER, CertificateRejected, tls_connect
from app.core.tlsinspect import shared_inspection

log = logging.getLogger(__name__)

_USER_AGENT = "uContact-Network-Check"
# Shares of the check's timeout: waiting for the TLS inspection (for its AIA
# intermediates), and the end of the whole exchange.
_INSPECTION_SHARE = 0.5
_DEADLINE_SHARE = 0.9


class PinnedResolver(AbstractResolver):
    """An aiohttp resolver that returns the one address the handshake already used."""

    def __init__(self, address: str) -> None:
        self.address = address

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_UNSPEC
    ) -> list[ResolveResult]:
        return [resolve_result(host, self.address, port)]

    async def close(self) -> None:
        pass


@dataclass
class Answer:
    """The response to the GET, filled in as it arrives."""

    status: int | None = None
    location: str | None = None
    bytes: int = 0
    truncated: bool = False
    body_complete: bool = False
    time_ms: float | None = None
    error: str | None = None
    headers: dict[str, str] = field(default_factory=dict)


@register
class HttpsCheck(Check):
    kind = "https"

    def configure(self, params: Table) -> None:
        self.url: str = params.str(
            "url", example='"https://{instance}.ucontactcloud.com/"'
        )
        parts = urlsplit(self.url)
        try:
            port = parts.port
        except ValueError:
            port = -1
        if parts.scheme != "https" or not parts.hostname or port == -1:
            raise params.error(
                "url",
                f"must be an https:// URL with a host name (got {self.url!r})",
                'write it as url = "https://{instance}.ucontactcloud.com/"',
            )
        self.host: str = parts.hostname
        self.port: int = port or 443
        self.max_body_bytes = params.integer(
            "max_body_bytes",
            65536,
            minimum=1,
            maximum=16 * 1024 * 1024,
            example="65536",
        )

    def hosts(self) -> list[str]:
        return [self.host]

    async def _aia_cadata(self, ctx: RunContext, timeout_s: float) -> str | None:
        """Return the intermediates the TLS inspection of this host downloaded."""
        try:
            inspection = await asyncio.wait_for(
                shared_inspection(ctx, self.host, self.port, timeout_s), timeout_s
            )
        except (ProbeError, TimeoutError):
            return None
        return inspection.extra_cadata()

    async def run(self, ctx: RunContext) -> Outcome:
        timeout_s = self.spec.timeout_s
        loop = asyncio.get_running_loop()
        deadline = loop.time() + _DEADLINE_SHARE * timeout_s
        cadata = await self._aia_cadata(ctx, _INSPECTION_SHARE * timeout_s)

        # The verified handshake offers h2 and HTTP/1.1, to record what the server
        # chooses; the GET then goes over HTTP/1.1 on a second connection.
        context = ctx.os_ssl_context(cadata)
        context.set_alpn_protocols(list(ALPN_OFFER))
        try:
            connection, ssl_object, _ = await tls_connect(
                ctx, self.host, self.port, context, max(deadline - loop.time(), 0.1)
            )
        except CertificateRejected as error:
            return self._rejected(error)
        except ProbeError as error:
            if error.stage in ("dns", "tcp"):
                return tcp_failure(error, "HTTPS")
            return handshake_failure(error)
        alpn = ssl_object.selected_alpn_protocol()
        version = ssl_object.version()
        address = connection.address
        connection.writer.transport.abort()

        answer = await self._get(ctx, address, cadata, deadline)
        evidence: dict[str, Any] = {
            "url": self.url,
            "address": address,
            "status": answer.status,
            "time_ms": answer.time_ms,
            "bytes": answer.bytes,
            "truncated": answer.truncated,
            "body_complete": answer.body_complete,
            "redirects": [answer.location] if answer.location else [],
            "alpn": alpn,
            "tls_version": version,
            "aia_intermediates": bool(cadata),
            "error": answer.error,
        }
        return self._outcome(answer, alpn, evidence)

    async def _get(
        self, ctx: RunContext, address: str, cadata: str | None, deadline: float
    ) -> Answer:
        """GET the URL over HTTP/1.1 to `address`, reading at most max_body_bytes."""
        context = ctx.os_ssl_context(cadata)
        context.set_alpn_protocols(["http/1.1"])
        connector = aiohttp.TCPConnector(
            resolver=PinnedResolver(address),
            ssl=context,
            use_dns_cache=False,
            force_close=True,
        )
        answer = Answer()
        started = time.perf_counter()
        session = aiohttp.ClientSession(
            connector=connector,
            auto_decompress=False,
            timeout=aiohttp.ClientTimeout(total=None),
            headers={"User-Agent": _USER_AGENT, "Accept-Encoding": "identity"},
        )
        try:
            async with asyncio.timeout_at(deadline):
                async with session.get(self.url, allow_redirects=False) as response:
                    answer.status = response.status
                    answer.time_ms = round((time.perf_counter() - started) * 1000, 1)
                    answer.location = response.headers.get("Location")
                    await self._read_body(response, answer)
        except TimeoutError:
            answer.error = "timeout"
        except (aiohttp.ClientError, OSError) as exc:
            answer.error = f"{type(exc).__name__}: {exc}"
        finally:
            await session.close()
        return answer

    async def _read_body(
        self, response: aiohttp.ClientResponse, answer: Answer
    ) -> None:
        """Count the body up to the cap, reading one byte more to detect more."""
        cap = self.max_body_bytes
        received = 0
        while received <= cap:
            chunk = await response.content.read(cap + 1 - received)
            if not chunk:
                answer.body_complete = True
                break
            received += len(chunk)
            answer.bytes = min(received, cap)
        answer.truncated = received > cap

    def _outcome(
        self, answer: Answer, alpn: str | None, evidence: dict[str, Any]
    ) -> Outcome:
        where = f"{self.host}:{self.port}"
        if answer.status is None:
            reason = (
                f"no HTTP answer came within {self.spec.timeout_s:g} s"
                if answer.error == "timeout"
                else f"the HTTP exchange failed ({answer.error})"
            )
            return Outcome(
                Status.FAIL,
                f"{where} completed the TLS handshake, but {reason}.",
                f"Check that no proxy, firewall or antivirus holds or alters HTTPS to "
                f"{self.host} on TCP port {self.port}. If nothing does, ask the "
                f"uContact administrator to check the web server of {self.host} on "
                f"TCP port {self.port}.",
                evidence,
            )

        first = (
            f"{self.url} answered HTTP {answer.status} in {answer.time_ms:g} ms "
            f"(ALPN {alpn or 'none'})"
        )
        parts = [first]
        if answer.location:
            parts.append(f"redirecting to {answer.location}, not followed")
        if answer.truncated:
            parts.append(f"body read up to its first {self.max_body_bytes} bytes")
        elif not answer.body_complete:
            parts.append(f"body stopped after {answer.bytes} bytes at the time limit")
        log.info("HTTPS %s: status %s, %d bytes", where, answer.status, answer.bytes)
        return Outcome(Status.PASS, "; ".join(parts) + ".", "", evidence)

    def _rejected(self, error: CertificateRejected) -> Outcome:
        where = f"{self.host}:{self.port}"
        evidence = {
            "url": self.url,
            "status": None,
            "error": "certificate rejected",
            "detail": error.message,
            "verify_code": error.verify_code,
        }
        return Outcome(
            Status.FAIL,
            f"This computer rejected the TLS certificate of {where}, so the web app "
            f"cannot load ({error.message}); the TLS certificate check of {where} "
            "shows why.",
            f"Follow the remedy of the TLS certificate check of {self.host} TCP port "
            f"{self.port} (HTTPS).",
            evidence,
        )
