"""SIP over secure WebSocket ("sip-wss"): upgrade, subprotocol, and a SIP OPTIONS."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any

import aiohttp

from app.core import remedy
from app.core.checks import Check, register
from app.core.context import RunContext
from app.core.httpclient import (
    HttpClient,
    budget_s,
    check_url,
)
from app.core.httpfailure import HttpFailure, describe, remedy_for
from app.core.model import Outcome, Status
from app.core.profile import Table
from app.core.sipmsg import build_options, first_line, is_request, parse_status_line

log = logging.getLogger(__name__)

SUBPROTOCOL = "sip"
MAX_MESSAGE_BYTES = 64 * 1024
# Requests the server sends first (its own OPTIONS keepalives) are skipped, up to this.
MAX_MESSAGES = 8
_CLOSED = (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSING, aiohttp.WSMsgType.CLOSED)


def _ms(seconds: float) -> float:
    return round(seconds * 1000, 1)


@register
class SipWssCheck(Check):
    """Asterisk responds to SIP over WebSocket (RFC 7118) on the instance's WSS port."""

    kind = "sip-wss"

    def configure(self, params: Table) -> None:
        example = '"wss://acme.ucontactcloud.com:8089/ws"'
        self.url = params.str("url", example=example)
        parsed = check_url(params, "url", self.url, ("wss", "ws"), example)
        self.host = parsed.host or ""
        self.port = parsed.port or 443
        self.scheme = parsed.scheme
        self.protocol = parsed.scheme.upper()

    def hosts(self) -> list[str]:
        return [self.host]

    async def run(self, ctx: RunContext) -> Outcome:
        evidence: dict[str, Any] = {
            "url": self.url,
            "address": None,
            "connect_ms": None,
            "subprotocol": None,
            "sip_status": None,
            "sip_reason": None,
            "rtt_ms": None,
            "error": None,
        }
        loop = asyncio.get_running_loop()
        async with HttpClient(ctx, budget_s(self.spec.timeout_s)) as client:
            started = loop.time()
            ws = await client.websocket(
                self.url, protocols=(SUBPROTOCOL,), max_msg_size=MAX_MESSAGE_BYTES
            )
            if isinstance(ws, HttpFailure):
                return self._connect_failure(ws, evidence)
            try:
                peer = ws.get_extra_info("peername")
                evidence.update(
                    connect_ms=_ms(loop.time() - started),
                    address=peer[0] if peer else None,
                    subprotocol=ws.protocol,
                )
                if ws.protocol != SUBPROTOCOL:
                    return self._no_subprotocol(evidence)
                return await self._exchange_options(client, ws, evidence)
            finally:
                with contextlib.suppress(aiohttp.ClientError, OSError):
                    await ws.close()

    def _connect_failure(
        self, failure: HttpFailure, evidence: dict[str, Any]
    ) -> Outcome:
        evidence.update(error=failure.kind, stage=failure.stage, detail=failure.message)
        summary = f"The WebSocket to {self.url} failed: {describe(failure)}."
        if failure.stage == "tls":
            summary += (
                f" The TLS check of port {self.port} shows the certificate "
                "and chain details."
            )
        return Outcome(
            Status.FAIL, summary, remedy_for(failure, "WSS, SIP signalling"), evidence
        )

    def _no_subprotocol(self, evidence: dict[str, Any]) -> Outcome:
        evidence["error"] = "no-subprotocol"
        summary = (
            f"The server at {self.url} accepted the WebSocket but did not echo "
            f'the WebSocket subprotocol "sip". Asterisk\'s '
            "res_http_websocket echoes it, so a proxy or another server "
            f"answered on TCP {self.port}."
        )
        fix = (
            f"{remedy.allow('TCP', self.port, self.host, self.protocol)} If a proxy, "
            "load balancer or security product answers on that port, make it pass "
            f"WebSocket upgrades to {self.host} unchanged, including the "
            "Sec-WebSocket-Protocol header."
        )
        return Outcome(Status.FAIL, summary, fix, evidence)

    def _sip_failure(
        self, error: str, summary: str, evidence: dict[str, Any]
    ) -> Outcome:
        evidence["error"] = error
        fix = (
            f"{remedy.allow('TCP', self.port, self.host, self.protocol)} If a proxy "
            f"or security product sits on the path, let {self.protocol} to "
            f"{self.host} on TCP port {self.port} pass unmodified; otherwise ask the "
            "uContact administrator to check Asterisk's SIP over WebSocket on that "
            "port."
        )
        return Outcome(Status.FAIL, summary, fix, evidence)

    async def _exchange_options(
        self,
        client: HttpClient,
        ws: aiohttp.ClientWebSocketResponse,
        evidence: dict[str, Any],
    ) -> Outcome:
        """Send one OPTIONS and wait for any SIP response, within the client's time."""
        loop = asyncio.get_running_loop()
        options = build_options(self.host, self.scheme)
        sent = loop.time()
        try:
            async with client.timeout():
                await ws.send_str(options.text)
                for _ in range(MAX_MESSAGES):
                    message = await ws.receive()
                    if message.type in _CLOSED:
                        return self._sip_failure(
                            "closed",
                            f"The server at {self.url} closed the WebSocket "
                            "without answering the SIP OPTIONS.",
                            evidence,
                        )
                    if message.type is aiohttp.WSMsgType.ERROR:
                        return self._sip_failure(
                            "websocket",
                            f"The WebSocket to {self.url} failed after "
                            f"the SIP OPTIONS was sent: {message.data}.",
                            evidence,
                        )
                    if message.type not in (
                        aiohttp.WSMsgType.TEXT,
                        aiohttp.WSMsgType.BINARY,
                    ):
                        continue
                    status = parse_status_line(message.data)
                    if status is not None:
                        evidence.update(
                            sip_status=status.code,
                            sip_reason=status.reason,
                            rtt_ms=_ms(loop.time() - sent),
                        )
                        return Outcome(
                            Status.PASS,
                            f"{self.url} answered the SIP "
                            f'OPTIONS with "{status}" in '
                            f"{evidence['rtt_ms']:g} ms.",
                            "",
                            evidence,
                        )
                    if not is_request(message.data):
                        return self._not_sip(message.data, evidence)
        except TimeoutError:
            return self._sip_failure(
                "sip-timeout",
                f"The server at {self.url} accepted the WebSocket with "
                f'subprotocol "sip" but sent no SIP response to an OPTIONS within '
                f"{client.timeout_s:g} s.",
                evidence,
            )
        except (aiohttp.ClientError, OSError) as exc:
            return self._sip_failure(
                "websocket",
                f"The WebSocket to {self.url} broke after the SIP OPTIONS "
                f"was sent: {type(exc).__name__}: {exc}.",
                evidence,
            )
        return self._sip_failure(
            "sip-no-response",
            f"The server at {self.url} sent {MAX_MESSAGES} SIP "
            "requests and no response to the OPTIONS.",
            evidence,
        )

    def _not_sip(self, data: str | bytes, evidence: dict[str, Any]) -> Outcome:
        line = first_line(data)
        printable_line = "".join(c if c.isprintable() else "?" for c in line)[:80]
        evidence["reply"] = printable_line
        return self._sip_failure(
            "not-sip",
            f"The server at {self.url} answered the SIP OPTIONS with "
            f"something that is not SIP ({printable_line!r}), so another server or a proxy "
            f"answered on TCP {self.port}.",
            evidence,
        )
