"""The https check against real aiohttp HTTPS servers on 127.0.0.1."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

from aiohttp import web

from app.core.model import Status
from tests import pki
from tests.loopback import server_context
from tests.unit import test_tls
from tests.unit.test_tls import (
    AIA_HOST,
    HOST,
    Stores,
    run_profile,
    tls_check_toml,
    write_profile,
)

# The fixtures of the tls tests, shared here by assignment.
aia_server = test_tls.aia_server
dns_port = test_tls.dns_port
lab_pki = test_tls.lab_pki
servers = test_tls.servers
stores = test_tls.stores


def https_check_toml(url: str, *, timeout_s: float = 4, max_body_bytes: int = 0) -> str:
    cap = f"max_body_bytes = {max_body_bytes}\n" if max_body_bytes else ""
    return f"""
[[check]]
id = "https"
kind = "https"
group = "signalling"
title = "Web app over HTTPS"
requirement = "The web app answers over HTTPS"
timeout_s = {timeout_s}
url = "{url}"
{cap}"""


async def run_https(tmp_path: Path, stores: Stores, dns_port: int, url: str, **kwargs):
    path = write_profile(tmp_path, https_check_toml(url, **kwargs))
    return (await run_profile(path, stores, dns_port))["https"]


async def test_https_healthy_records_alpn(tmp_path, stores, dns_port, servers, lab_pki):
    context = server_context(pki.make_leaf(lab_pki.intermediate, [HOST]), tmp_path)
    context.set_alpn_protocols(["h2", "http/1.1"])
    port = await servers.https(context)

    outcome = await run_https(tmp_path, stores, dns_port, f"https://{HOST}:{port}/")

    assert outcome.status is Status.PASS, outcome.summary
    assert outcome.evidence["status"] == 200
    assert outcome.evidence["alpn"] == "h2"
    assert outcome.evidence["bytes"] == len("uContact test page")
    assert outcome.evidence["body_complete"] is True
    assert outcome.evidence["redirects"] == []
    assert outcome.evidence["error"] is None
    assert "HTTP 200" in outcome.summary


async def test_https_any_status_passes(tmp_path, stores, dns_port, servers, lab_pki):
    async def unavailable(request: web.Request) -> web.Response:
        return web.Response(status=503, text="maintenance")

    context = server_context(pki.make_leaf(lab_pki.intermediate, [HOST]), tmp_path)
    port = await servers.https(context, [web.get("/", unavailable)])

    outcome = await run_https(tmp_path, stores, dns_port, f"https://{HOST}:{port}/")

    assert outcome.status is Status.PASS
    assert outcome.evidence["status"] == 503
    assert outcome.evidence["alpn"] is None


async def test_https_redirect_not_followed(
    tmp_path, stores, dns_port, servers, lab_pki
):
    async def moved(request: web.Request) -> web.Response:
        raise web.HTTPFound("/login")

    context = server_context(pki.make_leaf(lab_pki.intermediate, [HOST]), tmp_path)
    port = await servers.https(context, [web.get("/", moved)])

    outcome = await run_https(tmp_path, stores, dns_port, f"https://{HOST}:{port}/")

    assert outcome.status is Status.PASS
    assert outcome.evidence["status"] == 302
    assert outcome.evidence["redirects"] == ["/login"]
    assert "/login" in outcome.summary


async def test_https_certificate_rejected(tmp_path, stores, dns_port, servers):
    stranger = pki.make_root("Unknown Root CA", org="Nobody")
    leaf = pki.make_leaf(stranger, [HOST], chain=[])
    port = await servers.https(server_context(leaf, tmp_path))

    outcome = await run_https(tmp_path, stores, dns_port, f"https://{HOST}:{port}/")

    assert outcome.status is Status.FAIL
    assert outcome.evidence["error"] == "certificate rejected"
    assert "TLS certificate check" in outcome.summary
    assert f"TCP port {port}" in outcome.remedy


async def test_https_huge_body_capped(tmp_path, stores, dns_port, servers, lab_pki):
    async def huge(request: web.Request) -> web.Response:
        return web.Response(body=b"x" * (4 * 1024 * 1024))

    context = server_context(pki.make_leaf(lab_pki.intermediate, [HOST]), tmp_path)
    port = await servers.https(context, [web.get("/", huge)])

    outcome = await run_https(
        tmp_path, stores, dns_port, f"https://{HOST}:{port}/", max_body_bytes=1000
    )

    assert outcome.status is Status.PASS
    assert outcome.evidence["bytes"] == 1000
    assert outcome.evidence["truncated"] is True


async def test_https_slow_body_bounded(tmp_path, stores, dns_port, servers, lab_pki):
    async def trickle(request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse()
        await response.prepare(request)
        for _ in range(100):
            await response.write(b"tick\n")
            await asyncio.sleep(0.2)
        return response

    context = server_context(pki.make_leaf(lab_pki.intermediate, [HOST]), tmp_path)
    port = await servers.https(context, [web.get("/", trickle)])
    started = time.monotonic()

    outcome = await run_https(
        tmp_path, stores, dns_port, f"https://{HOST}:{port}/", timeout_s=2
    )

    assert time.monotonic() - started < 2
    assert outcome.status is Status.PASS
    assert outcome.evidence["status"] == 200
    assert outcome.evidence["body_complete"] is False
    assert 0 < outcome.evidence["bytes"] < 100 * len(b"tick\n")
    assert "time limit" in outcome.summary


async def test_https_silent_after_handshake(
    tmp_path, stores, dns_port, servers, lab_pki
):
    async def stall(request: web.Request) -> web.Response:
        await asyncio.sleep(30)
        return web.Response(text="late")

    context = server_context(pki.make_leaf(lab_pki.intermediate, [HOST]), tmp_path)
    port = await servers.https(context, [web.get("/", stall)])

    outcome = await run_https(
        tmp_path, stores, dns_port, f"https://{HOST}:{port}/", timeout_s=2
    )

    assert outcome.status is Status.FAIL
    assert outcome.evidence["status"] is None
    assert outcome.evidence["error"] == "timeout"
    assert f"TCP port {port}" in outcome.remedy


async def test_https_uses_aia_intermediate(
    tmp_path, stores, dns_port, servers, lab_pki, aia_server
):
    url = f"http://{AIA_HOST}:{aia_server}/LabRSACA2018.crt"
    leaf = pki.make_leaf(lab_pki.intermediate, [HOST], aia_url=url)
    port = await servers.https(server_context(leaf, tmp_path, send_chain=False))
    checks = tls_check_toml(port) + https_check_toml(f"https://{HOST}:{port}/")

    outcomes = await run_profile(write_profile(tmp_path, checks), stores, dns_port)

    assert outcomes["tls"].status is Status.PASS
    assert outcomes["https"].status is Status.PASS, outcomes["https"].summary
    assert outcomes["https"].evidence["aia_intermediates"] is True


async def test_https_nxdomain_fails(tmp_path, stores, dns_port):
    outcome = await run_https(tmp_path, stores, dns_port, "https://missing.lab.test/")

    assert outcome.status is Status.FAIL
    assert outcome.evidence["stage"] == "dns"
    assert outcome.evidence["error"] == "nxdomain"
