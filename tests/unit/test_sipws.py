"""The sip-wss check against real aiohttp WSS servers on 127.0.0.1.

Names resolve through a real dnsmasq on 127.0.0.1 that serves only *.ucontact.test,
and TLS is verified with the test PKI placed in the OS store through SSL_CERT_FILE.
"""

from __future__ import annotations

import asyncio
import json
import ssl
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
from aiohttp import WSMsgType, web

from app.core.checks import Check, build_checks
from app.core.context import RunContext
from app.core.model import Status
from app.core.profile import ProfileError, load_profile
from tests.loopback import (
    free_port,
    loopback_resolver,
    server_context,
    start_dnsmasq,
    stop,
)
from tests.pki import LabPki, make_lab_pki, make_leaf

HOST = "acme.ucontact.test"
MISSING = "missing.ucontact.test"  # NXDOMAIN


@pytest.fixture(scope="module")
def dns_port() -> Iterator[int]:
    process, port = start_dnsmasq({HOST: "127.0.0.1"})
    yield port
    stop(process)


@pytest.fixture(scope="module")
def pki() -> LabPki:
    return make_lab_pki()


@pytest.fixture
def stores(pki: LabPki, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    public, os_store = pki.write_stores(tmp_path / "stores")
    monkeypatch.setenv("SSL_CERT_FILE", str(os_store))
    return public


@pytest.fixture
def tls(pki: LabPki, tmp_path: Path) -> ssl.SSLContext:
    return server_context(
        make_leaf(pki.intermediate, [HOST]), tmp_path / "server", "good"
    )


def write_profile(tmp_path: Path, url: str, timeout_s: float = 2) -> Path:
    text = "\n".join(
        [
            "[profile]",
            'name = "test"',
            'instance_host = "{instance}.ucontact.test"',
            "[run]",
            "dns_timeout_s = 1",
            "[[check]]",
            'id = "sip-wss"',
            'kind = "sip-wss"',
            'group = "signalling"',
            'title = "SIP over WSS"',
            'requirement = "SIP answers"',
            f"timeout_s = {timeout_s}",
            f"url = {json.dumps(url)}",
        ]
    )
    path = tmp_path / "profile.toml"
    path.write_text(text + "\n")
    return path


@pytest.fixture
def make_check(tmp_path: Path, stores: Path, dns_port: int):
    def make(url: str, timeout_s: float = 2) -> tuple[Check, RunContext]:
        profile = load_profile(write_profile(tmp_path, url, timeout_s))
        ctx = RunContext(
            profile,
            "acme",
            public_roots=stores,
            resolver=loopback_resolver(dns_port, 1.0),
        )
        return build_checks(profile, "acme")[0], ctx

    return make


class SipServer:
    """WSS endpoints that behave like Asterisk, like impostors, or like nothing."""

    def __init__(self) -> None:
        self.received: list[tuple[WSMsgType, Any]] = []
        self.open_sockets = 0
        self.closed = asyncio.Event()

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_get("/ws", self.handler(("sip",), self.answer_ok))
        app.router.add_get("/nosip", self.handler((), self.answer_ok))
        app.router.add_get("/garbage", self.handler(("sip",), self.answer_garbage))
        app.router.add_get("/silent", self.handler(("sip",), self.answer_nothing))
        app.router.add_get("/first", self.handler(("sip",), self.request_first))
        app.router.add_get("/close", self.handler(("sip",), self.close_at_once))
        app.router.add_get("/forbidden", self.forbidden)
        return app

    def handler(self, protocols: tuple[str, ...], behaviour: Any) -> Any:
        async def handle(request: web.Request) -> web.WebSocketResponse:
            ws = web.WebSocketResponse(protocols=protocols)
            await ws.prepare(request)
            self.open_sockets += 1
            try:
                await behaviour(ws)
            finally:
                self.open_sockets -= 1
                self.closed.set()
            return ws

        return handle

    async def messages(self, ws: web.WebSocketResponse) -> AsyncIterator[str]:
        async for message in ws:
            self.received.append((message.type, message.data))
            if message.type is WSMsgType.TEXT:
                yield message.data

    async def answer_ok(self, ws: web.WebSocketResponse) -> None:
        async for text in self.messages(ws):
            headers = [
                line
                for line in text.split("\r\n")
                if line.startswith(("Via:", "From:", "To:", "Call-ID:", "CSeq:"))
            ]
            reply = "\r\n".join(["SIP/2.0 200 OK", *headers, "Content-Length: 0"])
            await ws.send_str(reply + "\r\n\r\n")

    async def answer_garbage(self, ws: web.WebSocketResponse) -> None:
        async for _ in self.messages(ws):
            await ws.send_str("HTTP/1.1 200 OK\r\n\r\nhello")

    async def answer_nothing(self, ws: web.WebSocketResponse) -> None:
        async for _ in self.messages(ws):
            pass

    async def request_first(self, ws: web.WebSocketResponse) -> None:
        await ws.send_str(
            "OPTIONS sip:agent@client.invalid;transport=ws SIP/2.0\r\n"
            "CSeq: 7 OPTIONS\r\nContent-Length: 0\r\n\r\n"
        )
        await self.answer_ok(ws)

    async def close_at_once(self, ws: web.WebSocketResponse) -> None:
        async for _ in self.messages(ws):
            await ws.close()

    async def forbidden(self, request: web.Request) -> web.Response:
        return web.Response(status=403, text="forbidden by policy")


@pytest.fixture
async def sip_server(tls: ssl.SSLContext) -> AsyncIterator[tuple[SipServer, int]]:
    server = SipServer()
    runner = web.AppRunner(server.app(), handle_signals=False, shutdown_timeout=0.5)
    await runner.setup()
    port = free_port()
    await web.TCPSite(runner, "127.0.0.1", port, ssl_context=tls).start()
    yield server, port
    await runner.cleanup()


async def run_path(make_check, sip_server, path: str, timeout_s: float = 2):
    server, port = sip_server
    check, ctx = make_check(f"wss://{HOST}:{port}{path}", timeout_s)
    return await check.run(ctx), server, port


async def test_sip_wss_pass(make_check, sip_server) -> None:
    outcome, _, port = await run_path(make_check, sip_server, "/ws")

    evidence = outcome.evidence
    assert outcome.status is Status.PASS, outcome.summary
    assert evidence["sip_status"] == 200
    assert evidence["sip_reason"] == "OK"
    assert evidence["subprotocol"] == "sip"
    assert evidence["address"] == "127.0.0.1"
    assert evidence["url"] == f"wss://{HOST}:{port}/ws"
    assert evidence["connect_ms"] > 0
    assert evidence["rtt_ms"] > 0
    assert '"200 OK"' in outcome.summary


async def test_sip_wss_sends_one_options_frame(make_check, sip_server) -> None:
    _, server, _ = await run_path(make_check, sip_server, "/ws")

    texts = [data for kind, data in server.received if kind is WSMsgType.TEXT]
    assert len(texts) == 1
    assert texts[0].startswith("OPTIONS sip:")
    assert f"@{HOST} SIP/2.0\r\n" in texts[0]
    assert "\r\nVia: SIP/2.0/WSS " in texts[0]
    assert "\r\nCSeq: 1 OPTIONS\r\n" in texts[0]
    assert ";transport=ws>" in texts[0]
    assert texts[0].endswith("Content-Length: 0\r\n\r\n")


async def test_sip_wss_closes_websocket(make_check, sip_server) -> None:
    _, server, _ = await run_path(make_check, sip_server, "/ws")

    await asyncio.wait_for(server.closed.wait(), 2)
    assert server.open_sockets == 0


async def test_sip_wss_no_subprotocol(make_check, sip_server) -> None:
    outcome, server, port = await run_path(make_check, sip_server, "/nosip")

    assert outcome.status is Status.FAIL
    assert outcome.evidence["subprotocol"] is None
    assert outcome.evidence["error"] == "no-subprotocol"
    assert 'did not echo the WebSocket subprotocol "sip"' in outcome.summary
    assert HOST in outcome.remedy
    assert f"TCP port {port}" in outcome.remedy
    assert "WSS" in outcome.remedy
    assert not [kind for kind, _ in server.received if kind is WSMsgType.TEXT]


async def test_sip_wss_garbage_reply(make_check, sip_server) -> None:
    outcome, _, port = await run_path(make_check, sip_server, "/garbage")

    assert outcome.status is Status.FAIL
    assert outcome.evidence["error"] == "not-sip"
    assert outcome.evidence["reply"] == "HTTP/1.1 200 OK"
    assert "not SIP" in outcome.summary
    assert f"TCP port {port}" in outcome.remedy


async def test_sip_wss_silent_server(make_check, sip_server) -> None:
    started = time.monotonic()
    outcome, server, _ = await run_path(make_check, sip_server, "/silent")
    elapsed = time.monotonic() - started

    assert outcome.status is Status.FAIL
    assert outcome.evidence["error"] == "sip-timeout"
    assert outcome.evidence["sip_status"] is None
    assert elapsed < 2.0
    await asyncio.wait_for(server.closed.wait(), 2)
    assert server.open_sockets == 0


async def test_sip_wss_skips_server_request(make_check, sip_server) -> None:
    outcome, _, _ = await run_path(make_check, sip_server, "/first")

    assert outcome.status is Status.PASS, outcome.summary
    assert outcome.evidence["sip_status"] == 200


async def test_sip_wss_server_closes(make_check, sip_server) -> None:
    outcome, _, _ = await run_path(make_check, sip_server, "/close")

    assert outcome.status is Status.FAIL
    assert outcome.evidence["error"] == "closed"


async def test_sip_wss_upgrade_forbidden(make_check, sip_server) -> None:
    outcome, _, port = await run_path(make_check, sip_server, "/forbidden")

    assert outcome.status is Status.FAIL
    assert outcome.evidence["error"] == "rejected"
    assert "HTTP 403 Forbidden" in outcome.summary
    assert f"TCP port {port}" in outcome.remedy
    assert "WSS" in outcome.remedy


async def test_sip_wss_refused(make_check) -> None:
    port = free_port()
    check, ctx = make_check(f"wss://{HOST}:{port}/ws")

    outcome = await check.run(ctx)

    assert outcome.status is Status.FAIL
    assert outcome.evidence["error"] == "refused"
    assert f"TCP port {port}" in outcome.remedy
    assert HOST in outcome.remedy


async def test_sip_wss_nxdomain(make_check) -> None:
    check, ctx = make_check(f"wss://{MISSING}:8089/ws")

    outcome = await check.run(ctx)

    assert outcome.status is Status.FAIL
    assert outcome.evidence["error"] == "nxdomain"
    assert MISSING in outcome.remedy
    assert "TCP port 8089" in outcome.remedy


async def test_sip_wss_expired_certificate(make_check, pki, tmp_path) -> None:
    leaf = make_leaf(pki.intermediate, [HOST], expired=True)
    server = SipServer()
    runner = web.AppRunner(server.app(), handle_signals=False, shutdown_timeout=0.5)
    await runner.setup()
    port = free_port()
    context = server_context(leaf, tmp_path / "server", "expired")
    await web.TCPSite(runner, "127.0.0.1", port, ssl_context=context).start()
    try:
        check, ctx = make_check(f"wss://{HOST}:{port}/ws")
        outcome = await check.run(ctx)
    finally:
        await runner.cleanup()

    assert outcome.status is Status.FAIL
    assert outcome.evidence["stage"] == "tls"
    assert outcome.evidence["error"] == "expired"
    assert f"TLS check of port {port}" in outcome.summary
    assert f"TCP port {port}" in outcome.remedy


async def test_sip_wss_cancel_closes(make_check, sip_server) -> None:
    server, port = sip_server
    check, ctx = make_check(f"wss://{HOST}:{port}/silent", timeout_s=10)

    task = asyncio.create_task(check.run(ctx))
    for _ in range(100):
        if server.received:
            break
        await asyncio.sleep(0.02)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task

    await asyncio.wait_for(server.closed.wait(), 2)
    assert server.open_sockets == 0


def test_sip_wss_rejects_https_url(tmp_path) -> None:
    with pytest.raises(ProfileError, match="url"):
        load_profile(write_profile(tmp_path, f"https://{HOST}:8089/ws"))


def test_sip_wss_lists_host(make_check) -> None:
    check, _ = make_check(f"wss://{HOST}:8089/ws")

    assert check.hosts() == [HOST]
