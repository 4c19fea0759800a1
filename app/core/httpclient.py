"""A bounded HTTP and WebSocket client on aiohttp that resolves through the run.

Every request of one `HttpClient` shares a deadline, bodies are read up to a byte cap,
redirects are followed up to a count, and TLS is always verified against the OS store.
Network conditions come back as `HttpFailure` values, never as exceptions.
"""

from __future__ import annotations

import asyncio
import logging
import socket
import ssl
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, replace
from http import HTTPStatus
from types import TracebackType
from typing import Any, Self

import aiohttp
from aiohttp.abc import AbstractResolver, ResolveResult
from yarl import URL

from app.core.context import RunContext
from app.core.httpfailure import (
    HttpFailure,
    ResolutionError,
    certificate_kind,
    resolution_of,
)
from app.core.net import os_error_kind
from app.core.profile import Table
from app.core.resolve import Resolution

log = logging.getLogger(__name__)

_REDIRECT_STATUSES = {301, 302, 303, 307, 308}


def resolve_result(host: str, address: str, port: int) -> ResolveResult:
    """Return aiohttp's record of one numeric address found for `host`."""
    return {
        "hostname": host,
        "host": address,
        "port": port,
        "family": socket.AF_INET6 if ":" in address else socket.AF_INET,
        "proto": 0,
        "flags": socket.AI_NUMERICHOST,
    }


class RunResolver(AbstractResolver):
    """An aiohttp resolver that looks names up through `RunContext.resolve`."""

    def __init__(self, ctx: RunContext) -> None:
        self._ctx = ctx

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_UNSPEC
    ) -> list[ResolveResult]:
        resolution = await self._ctx.resolve(host)
        if not resolution.ok:
            raise ResolutionError(resolution)
        results = []
        for address in resolution.addresses:
            result = resolve_result(host, address, port)
            if family in (socket.AF_UNSPEC, result["family"]):
                results.append(result)
        if not results:
            raise ResolutionError(Resolution(host, error="no-answer"))
        return results

    async def close(self) -> None:
        pass


@dataclass(frozen=True)
class HttpResponse:
    """The response to one request, after the redirects that were followed."""

    url: str  # the URL that returned this response
    status: int
    reason: str
    content_type: str
    headers: dict[str, str]
    body: bytes
    truncated: bool  # the body went on past the byte cap
    redirects: list[str] = field(default_factory=list)  # each Location followed
    redirect_limit_reached: bool = False  # the answer is a redirect left unfollowed
    time_ms: float = 0.0
    address: str = ""
    alpn: str | None = None


def protocol_of(url: URL) -> str:
    return (url.scheme or "http").upper()


def check_url(
    params: Table, key: str, value: str, schemes: tuple[str, ...], example: str
) -> URL:
    """Parse `value`, read from `params[key]`, raising ProfileError unless it is usable."""
    try:
        url = URL(value)
    except ValueError:
        url = URL()
    if url.scheme not in schemes or not url.host:
        raise params.error(
            key,
            f"must be a {' or '.join(schemes)} URL with a host (got {value!r})",
            f"write it as {key} = {example}",
        )
    return url


def budget_s(timeout_s: float) -> float:
    """Return the part of a check's timeout that its requests may use.

    The rest is left for closing connections and building the outcome, so the
    check reports its own timeout before the runner cancels it.
    """
    return timeout_s - min(1.0, timeout_s * 0.2)


class HttpClient:
    """An aiohttp session on the run's resolver and the OS trust store, with one deadline.

    Use it as an async context manager. Requests made through one client share its
    time budget. The client tracks the stage of one request at a time, so give each
    concurrent request its own client.
    """

    def __init__(self, ctx: RunContext, timeout_s: float) -> None:
        self.ctx = ctx
        self.timeout_s = timeout_s
        self._deadline = 0.0
        self._stage = "tcp"
        self._session: aiohttp.ClientSession | None = None
        self.ssl_context: ssl.SSLContext | None = None
        self.address = ""  # peer IP address of the last connection opened
        self._sockets: list[socket.socket] = []

    async def __aenter__(self) -> Self:
        loop = asyncio.get_running_loop()
        self._deadline = loop.time() + self.timeout_s
        trace = aiohttp.TraceConfig()
        # aiohttp signals create_start, then the lookup, then create_end (TCP and TLS).
        trace.on_connection_create_start.append(self._stage_setter("tcp"))
        trace.on_dns_resolvehost_start.append(self._stage_setter("dns"))
        trace.on_dns_resolvehost_end.append(self._stage_setter("tcp"))
        trace.on_connection_create_end.append(self._on_connected)
        trace.on_connection_reuseconn.append(self._stage_setter("http"))
        self.ssl_context = self.ctx.os_ssl_context()
        connector = aiohttp.TCPConnector(
            resolver=RunResolver(self.ctx),
            ssl=self.ssl_context,
            use_dns_cache=False,
            limit=4,
            socket_factory=self._open_socket,
        )
        self._session = aiohttp.ClientSession(
            connector=connector,
            trace_configs=[trace],
            auto_decompress=False,
            timeout=aiohttp.ClientTimeout(total=None, sock_connect=self.timeout_s),
            headers={"Accept-Encoding": "identity"},
        )
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._session is not None:
            await self._session.close()

    def _stage_setter(self, stage: str) -> Callable[..., Awaitable[None]]:
        async def set_stage(*_: Any) -> None:
            self._stage = stage

        return set_stage

    def _open_socket(self, addr_info: Any) -> socket.socket:
        family, type_, proto, _, _ = addr_info
        sock = socket.socket(family=family, type=type_, proto=proto)
        self._sockets.append(sock)
        return sock

    async def _on_connected(self, *_: Any) -> None:
        """Note the peer address of the socket that won aiohttp's connection race."""
        self._stage = "http"
        for sock in reversed(self._sockets):
            try:
                self.address = sock.getpeername()[0]
            except OSError:  # a losing attempt, closed or still connecting
                continue
            break
        self._sockets.clear()

    @property
    def session(self) -> aiohttp.ClientSession:
        assert self._session is not None, "use HttpClient as an async context manager"
        return self._session

    def timeout(self) -> asyncio.Timeout:
        """Return a context manager that ends at this client's deadline."""
        return asyncio.timeout_at(self._deadline)

    async def fetch(
        self, url: str, *, max_body_bytes: int = 65536, max_redirects: int = 3
    ) -> HttpResponse | HttpFailure:
        """GET `url` without credentials, following at most `max_redirects` redirects.

        When the limit is reached, the last redirect is returned unfollowed with
        `redirect_limit_reached` set.
        """
        current = URL(url)
        redirects: list[str] = []
        started = time.perf_counter()
        while True:
            self._stage = "tcp"
            try:
                async with self.timeout():
                    response = await self._get(current, max_body_bytes)
            except (aiohttp.ClientError, OSError) as exc:
                return replace(self.classify(exc, current), redirects=tuple(redirects))
            target = _redirect_target(current, response)
            if target is None:
                return _finished(response, redirects, started, limit_reached=False)
            if len(redirects) >= max_redirects:
                return _finished(response, redirects, started, limit_reached=True)
            redirects.append(str(target))
            current = target

    async def websocket(
        self, url: str, *, protocols: tuple[str, ...], max_msg_size: int
    ) -> aiohttp.ClientWebSocketResponse | HttpFailure:
        """Open a WebSocket to `url` offering `protocols`; the caller closes it."""
        self._stage = "tcp"
        try:
            async with self.timeout():
                return await self.session.ws_connect(
                    url,
                    protocols=protocols,
                    ssl=self.ssl_context,
                    heartbeat=None,
                    max_msg_size=max_msg_size,
                    autoping=True,
                    timeout=aiohttp.ClientWSTimeout(ws_receive=None, ws_close=0.5),
                )
        except (aiohttp.ClientError, OSError) as exc:
            return self.classify(exc, URL(url))

    async def _get(self, url: URL, max_body_bytes: int) -> HttpResponse:
        async with self.session.get(url, allow_redirects=False) as response:
            self._stage = "http"
            alpn = None
            # NOTE: aiohttp may release a connection whose body arrived with the
            # headers, and then the ALPN protocol is unknown here.
            if response.connection is not None and response.connection.transport:
                transport = response.connection.transport
                ssl_object = transport.get_extra_info("ssl_object")
                if ssl_object is not None:
                    alpn = ssl_object.selected_alpn_protocol()
            body = bytearray()
            while len(body) <= max_body_bytes:
                chunk = await response.content.read(max_body_bytes + 1 - len(body))
                if not chunk:
                    break
                body += chunk
            truncated = len(body) > max_body_bytes
            return HttpResponse(
                url=str(url),
                status=response.status,
                reason=response.reason or "",
                content_type=response.content_type or "",
                headers={k: v for k, v in response.headers.items()},
                body=bytes(body[:max_body_bytes]),
                truncated=truncated,
                address=self.address,
                alpn=alpn,
            )

    def classify(self, exc: BaseException, url: URL) -> HttpFailure:
        """Turn an exception from aiohttp or the deadline into an HttpFailure."""
        host = url.host or ""
        port = url.port or 0
        protocol = protocol_of(url)
        where = f"{host}:{port}"

        def failure(
            stage: str, kind: str, message: str, status: int | None = None
        ) -> HttpFailure:
            log.info("%s %s: %s", protocol, where, message)
            return HttpFailure(
                stage, kind, message, str(url), host, port, protocol, status
            )

        resolution = resolution_of(exc)
        if resolution is not None:
            return failure(
                "dns", resolution.error or "no-answer", resolution.describe()
            )
        if isinstance(exc, aiohttp.ClientConnectorCertificateError):
            kind, text = certificate_kind(exc.certificate_error)
            return failure(
                "tls", kind, f"the TLS certificate of {where} was rejected: {text}"
            )
        if isinstance(exc, aiohttp.ClientSSLError | ssl.SSLError):
            reason = getattr(getattr(exc, "os_error", exc), "reason", None) or exc
            return failure(
                "tls", "handshake", f"the TLS handshake with {where} failed: {reason}"
            )
        if isinstance(exc, aiohttp.WSServerHandshakeError):
            if exc.status >= 400:
                return failure(
                    "websocket",
                    "rejected",
                    f"the WebSocket upgrade on {url} was rejected with "
                    f"{_status_text(exc.status)}",
                    exc.status,
                )
            return failure(
                "websocket",
                "invalid",
                f"the server at {url} answered the WebSocket upgrade with "
                f"HTTP {exc.status} and an invalid handshake "
                f"({exc.message})",
                exc.status,
            )
        if isinstance(exc, TimeoutError):
            return self._timeout_failure(failure, url, where)
        if isinstance(exc, aiohttp.ClientConnectorError):
            return self._tcp_failure(failure, exc.os_error, where)
        if isinstance(exc, aiohttp.ClientResponseError):
            return failure(
                "http",
                "protocol",
                f"{where} sent an invalid HTTP answer ({exc.message})",
            )
        if isinstance(exc, aiohttp.ServerDisconnectedError):
            return failure(
                "http",
                "closed",
                f"{where} closed the connection without an HTTP answer",
            )
        if isinstance(exc, OSError) and self._stage == "tcp":
            return self._tcp_failure(failure, exc, where)
        return failure(
            "http",
            "protocol",
            f"the {protocol} exchange with {where} failed: {type(exc).__name__}: {exc}",
        )

    def _timeout_failure(self, failure: Any, url: URL, where: str) -> HttpFailure:
        if self._stage == "dns":
            return failure(
                "dns",
                "timeout",
                f"the name lookup of {url.host} did not finish within "
                f"{self.timeout_s:g} s",
            )
        if self._stage == "tcp":
            # aiohttp signals no step between the TCP connect and the TLS handshake.
            connection = "TCP connection"
            if url.scheme in ("https", "wss"):
                connection += " or TLS handshake"
            return failure(
                "tcp",
                "timeout",
                f"the {connection} with {where} got no answer within "
                f"{self.timeout_s:g} s",
            )
        return failure(
            "http",
            "timeout",
            f"{where} accepted the connection but sent "
            f"no complete answer within {self.timeout_s:g} s",
        )

    @staticmethod
    def _tcp_failure(failure: Any, error: OSError, where: str) -> HttpFailure:
        if isinstance(error, ConnectionRefusedError):
            return failure(
                "tcp", "refused", f"the TCP connection to {where} was refused"
            )
        if isinstance(error, TimeoutError):
            return failure(
                "tcp", "timeout", f"the TCP connection to {where} got no answer"
            )
        return failure(
            "tcp",
            os_error_kind(error),
            f"the TCP connection to {where} failed: {error.strerror or error}",
        )


def _status_text(status: int) -> str:
    try:
        return f"HTTP {status} {HTTPStatus(status).phrase}"
    except ValueError:
        return f"HTTP {status}"


def _redirect_target(url: URL, response: HttpResponse) -> URL | None:
    """Return the http(s) URL that `response` redirects to, or None."""
    location = response.headers.get("Location", "")
    if response.status not in _REDIRECT_STATUSES or not location:
        return None
    try:
        target = url.join(URL(location))
    except ValueError:
        return None
    return target if target.scheme in ("http", "https") and target.host else None


def _finished(
    response: HttpResponse, redirects: list[str], started: float, *, limit_reached: bool
) -> HttpResponse:
    time_ms = round((time.perf_counter() - started) * 1000, 1)
    return HttpResponse(
        url=response.url,
        status=response.status,
        reason=response.reason,
        content_type=response.content_type,
        headers=response.headers,
        body=response.body,
        truncated=response.truncated,
        redirects=list(redirects),
        redirect_limit_reached=limit_reached,
        time_ms=time_ms,
        address=response.address,
        alpn=response.alpn,
    )
