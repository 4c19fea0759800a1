"""The web and ca-download checks against real aiohttp servers on 127.0.0.1.

Names resolve through a real dnsmasq on 127.0.0.1 that serves only *.ucontact.test,
and TLS is verified with the test PKI placed in the OS store through SSL_CERT_FILE.
"""

from __future__ import annotations

import asyncio
import json
import socket
import ssl
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from cryptography.hazmat.primitives import serialization

from app.core.checks import Check, build_checks
from app.core.context import RunContext
from app.core.model import Status
from app.core.profile import ProfileError, load_profile
from app.core.runner import run_check
from tests.loopback import (
    free_port,
    loopback_resolver,
    server_context,
    start_dnsmasq,
    stop,
)
from tests.pki import LabPki, make_leaf, make_root

HOST = "app.ucontact.test"
OTHER = (
    "other.ucontact.test"  # resolves to the same server, absent from its certificate
)
MISSING = "missing.ucontact.test"  # NXDOMAIN


@pytest.fixture(scope="module")
def dns_port() -> Iterator[int]:
    process, port = start_dnsmasq({HOST: "127.0.0.1", OTHER: "127.0.0.1"})
    yield port
    stop(process)


@pytest.fixture(scope="module")
def pki() -> LabPki:
    from tests.pki import make_lab_pki

    return make_lab_pki()


@pytest.fixture
def stores(pki: LabPki, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    public, os_store = pki.write_stores(tmp_path / "stores")
    monkeypatch.setenv("SSL_CERT_FILE", str(os_store))
    return public


@pytest.fixture
def tls(pki: LabPki, tmp_path: Path) -> ssl.SSLContext:
    leaf = make_leaf(pki.intermediate, [HOST, "127.0.0.1"])
    return server_context(leaf, tmp_path / "server", "good")


def toml_value(value: Any) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(item) for item in value) + "]"
    if isinstance(value, str):
        return json.dumps(value)
    return str(value)


def write_profile(
    tmp_path: Path,
    kind: str,
    severity: str = "required",
    timeout_s: float = 2,
    **params: Any,
) -> Path:
    lines = [
        "[profile]",
        'name = "test"',
        'instance_host = "{instance}.ucontact.test"',
        "[run]",
        "dns_timeout_s = 1",
        "[[check]]",
        'id = "probe"',
        f'kind = "{kind}"',
        'group = "services"',
        'title = "Probe"',
        'requirement = "It answers"',
        f'severity = "{severity}"',
        f"timeout_s = {timeout_s}",
    ]
    lines += [f"{key} = {toml_value(value)}" for key, value in params.items()]
    path = tmp_path / "profile.toml"
    path.write_text("\n".join(lines) + "\n")
    return path


@pytest.fixture
def make_check(tmp_path: Path, stores: Path, dns_port: int):
    def make(kind: str, **params: Any) -> tuple[Check, RunContext]:
        profile = load_profile(write_profile(tmp_path, kind, **params))
        ctx = RunContext(
            profile,
            "acme",
            public_roots=stores,
            resolver=loopback_resolver(dns_port, 1.0),
        )
        return build_checks(profile, "acme")[0], ctx

    return make


async def start(
    app: web.Application, context: ssl.SSLContext | None = None
) -> tuple[web.AppRunner, int]:
    runner = web.AppRunner(app, handle_signals=False, shutdown_timeout=0.5)
    await runner.setup()
    port = free_port()
    await web.TCPSite(runner, "127.0.0.1", port, ssl_context=context).start()
    return runner, port


@pytest.fixture
async def serve() -> AsyncIterator[Any]:
    runners: list[web.AppRunner] = []

    async def serve_app(
        app: web.Application, context: ssl.SSLContext | None = None
    ) -> int:
        runner, port = await start(app, context)
        runners.append(runner)
        return port

    yield serve_app
    for runner in runners:
        await runner.cleanup()


async def ok(request: web.Request) -> web.Response:
    return web.Response(text="hello", content_type="text/plain")


async def not_found(request: web.Request) -> web.Response:
    return web.Response(status=404, text="nothing here")


async def loop_redirect(request: web.Request) -> web.Response:
    step = int(request.query.get("n", "0"))
    raise web.HTTPFound(f"/loop?n={step + 1}")


async def huge(request: web.Request) -> web.StreamResponse:
    response = web.StreamResponse()
    response.content_type = "application/octet-stream"
    await response.prepare(request)
    try:
        for _ in range(100_000):
            await response.write(b"x" * 65536)
    except (ConnectionResetError, RuntimeError):
        pass
    return response


async def never(request: web.Request) -> web.Response:
    await asyncio.sleep(3600)
    return web.Response(text="late")


async def portal_page(request: web.Request) -> web.Response:
    return web.Response(
        text="<!DOCTYPE html><html><head><title>Guest  Wi-Fi &amp; Login</title>"
        "</head><body>Accept the terms</body></html>",
        content_type="text/html",
    )


def web_app() -> web.Application:
    app = web.Application()
    app.router.add_get("/", ok)
    app.router.add_get("/missing", not_found)
    app.router.add_get("/loop", loop_redirect)
    app.router.add_get("/huge", huge)
    app.router.add_get("/never", never)
    app.router.add_get("/portal", portal_page)
    return app


# --- web ---------------------------------------------------------------------------


async def test_web_https_pass(make_check, serve, tls) -> None:
    port = await serve(web_app(), tls)
    url = f"https://{HOST}:{port}/"
    check, ctx = make_check("web", urls=[url])

    outcome = await check.run(ctx)

    entry = outcome.evidence["urls"][url]
    assert outcome.status is Status.PASS, outcome.summary
    assert entry["status"] == 200
    assert entry["bytes"] == 5
    assert entry["address"] == "127.0.0.1"
    assert entry["error"] is None
    assert entry["time_ms"] > 0
    assert "alpn" in entry


async def test_web_any_status_passes(make_check, serve, tls) -> None:
    port = await serve(web_app(), tls)
    url = f"https://{HOST}:{port}/missing"
    check, ctx = make_check("web", urls=[url])

    outcome = await check.run(ctx)

    assert outcome.status is Status.PASS, outcome.summary
    assert outcome.evidence["urls"][url]["status"] == 404


async def test_web_nxdomain_fails(make_check) -> None:
    url = f"https://{MISSING}/"
    check, ctx = make_check("web", urls=[url])

    outcome = await check.run(ctx)

    entry = outcome.evidence["urls"][url]
    assert outcome.status is Status.FAIL
    assert entry["error"] == "nxdomain"
    assert entry["stage"] == "dns"
    assert MISSING in outcome.remedy
    assert "53" in outcome.remedy
    assert "TCP port 443" in outcome.remedy


async def test_web_refused_names_port(make_check) -> None:
    port = free_port()
    url = f"https://{HOST}:{port}/"
    check, ctx = make_check("web", urls=[url])

    outcome = await check.run(ctx)

    entry = outcome.evidence["urls"][url]
    assert outcome.status is Status.FAIL
    assert entry["error"] == "refused"
    assert "refused" in outcome.summary
    assert f"TCP port {port}" in outcome.remedy
    assert HOST in outcome.remedy
    assert "HTTPS" in outcome.remedy


async def test_web_hostname_mismatch_portal(make_check, serve, tls) -> None:
    port = await serve(web_app(), tls)
    url = f"https://{OTHER}:{port}/"
    check, ctx = make_check("web", urls=[url])

    outcome = await check.run(ctx)

    entry = outcome.evidence["urls"][url]
    assert outcome.status is Status.FAIL
    assert entry["error"] == "hostname"
    assert f"something else answered in place of {OTHER}" in outcome.summary
    assert "captive portal" in outcome.remedy
    assert f"TCP port {port}" in outcome.remedy


async def test_web_unknown_issuer_portal(make_check, serve, tmp_path) -> None:
    stranger = make_root("Portal Self CA", org="Hotel")
    leaf = make_leaf(stranger, [HOST], chain=[])
    port = await serve(web_app(), server_context(leaf, tmp_path / "server", "portal"))
    url = f"https://{HOST}:{port}/"
    check, ctx = make_check("web", urls=[url])

    outcome = await check.run(ctx)

    assert outcome.status is Status.FAIL
    assert outcome.evidence["urls"][url]["error"] == "issuer"
    assert f"something else answered in place of {HOST}" in outcome.summary


async def test_web_expired_certificate(make_check, serve, pki, tmp_path) -> None:
    leaf = make_leaf(pki.intermediate, [HOST], expired=True)
    port = await serve(web_app(), server_context(leaf, tmp_path / "server", "expired"))
    url = f"https://{HOST}:{port}/"
    check, ctx = make_check("web", urls=[url])

    outcome = await check.run(ctx)

    assert outcome.status is Status.FAIL
    assert outcome.evidence["urls"][url]["error"] == "expired"
    assert "expired" in outcome.summary
    assert "something else answered" not in outcome.summary
    assert f"TCP port {port}" in outcome.remedy


async def test_web_plain_http_on_https_port(make_check, serve) -> None:
    port = await serve(web_app())
    url = f"https://{HOST}:{port}/"
    check, ctx = make_check("web", urls=[url])

    outcome = await check.run(ctx)

    entry = outcome.evidence["urls"][url]
    assert outcome.status is Status.FAIL
    assert entry["stage"] == "tls"
    assert entry["error"] == "handshake"


async def test_web_redirect_loop_bounded(make_check, serve) -> None:
    port = await serve(web_app())
    url = f"http://{HOST}:{port}/loop"
    check, ctx = make_check("web", urls=[url], max_redirects=3)

    outcome = await check.run(ctx)

    entry = outcome.evidence["urls"][url]
    assert outcome.status is Status.PASS, outcome.summary
    assert entry["status"] == 302
    assert entry["redirects"] == [f"http://{HOST}:{port}/loop?n={n}" for n in (1, 2, 3)]
    assert entry["redirect_limit_reached"] is True


async def test_web_huge_body_capped(make_check, serve) -> None:
    port = await serve(web_app())
    url = f"http://{HOST}:{port}/huge"
    check, ctx = make_check("web", urls=[url], max_body_bytes=1000)

    started = time.monotonic()
    outcome = await check.run(ctx)

    entry = outcome.evidence["urls"][url]
    assert outcome.status is Status.PASS, outcome.summary
    assert entry["bytes"] == 1000
    assert entry["truncated"] is True
    assert time.monotonic() - started < 1.5


async def test_web_silent_server_times_out(make_check, serve) -> None:
    port = await serve(web_app())
    url = f"http://{HOST}:{port}/never"
    check, ctx = make_check("web", urls=[url])  # timeout_s 2, so a 1.6 s budget

    started = time.monotonic()
    outcome = await check.run(ctx)
    elapsed = time.monotonic() - started

    entry = outcome.evidence["urls"][url]
    assert outcome.status is Status.FAIL
    assert entry["stage"] == "http"
    assert entry["error"] == "timeout"
    assert "accepted the connection" in outcome.summary
    assert 1.4 < elapsed < 2.0


async def test_web_accepting_socket_times_out(make_check) -> None:
    """A listener whose backlog accepts TCP but never reads sends nothing at all."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        port = listener.getsockname()[1]
        url = f"https://{HOST}:{port}/"
        check, ctx = make_check("web", urls=[url])

        outcome = await check.run(ctx)

    entry = outcome.evidence["urls"][url]
    assert outcome.status is Status.FAIL
    assert entry["error"] == "timeout"
    assert "TCP connection or TLS handshake" in outcome.summary
    assert f"TCP port {port}" in outcome.remedy


async def test_web_http_portal_detected(make_check, serve) -> None:
    port = await serve(web_app())
    url = f"http://{HOST}:{port}/portal"
    check, ctx = make_check("web", urls=[url], expect_content_type="application/json")

    outcome = await check.run(ctx)

    entry = outcome.evidence["urls"][url]
    assert outcome.status is Status.FAIL
    assert entry["error"] == "portal"
    assert "title 'Guest Wi-Fi & Login'" in outcome.summary
    assert f"a captive portal or web filter answered for {HOST}" in outcome.summary
    assert f"TCP port {port}" in outcome.remedy


async def test_web_html_without_expectation_passes(make_check, serve) -> None:
    port = await serve(web_app())
    url = f"http://{HOST}:{port}/portal"
    check, ctx = make_check("web", urls=[url])

    outcome = await check.run(ctx)

    assert outcome.status is Status.PASS, outcome.summary


async def test_web_names_only_failed_urls(make_check, serve, tls) -> None:
    port = await serve(web_app(), tls)
    good = f"https://{HOST}:{port}/"
    bad = f"https://{MISSING}:{port}/"
    check, ctx = make_check("web", urls=[good, bad])

    outcome = await check.run(ctx)

    assert outcome.status is Status.FAIL
    assert outcome.summary.startswith("1 of 2 URLs failed.")
    assert bad in outcome.summary
    assert good not in outcome.summary
    assert outcome.evidence["urls"][good]["status"] == 200


async def test_web_recommended_failure_warns(tmp_path, stores, dns_port) -> None:
    url = f"https://{MISSING}/"
    profile = load_profile(
        write_profile(tmp_path, "web", severity="recommended", urls=[url])
    )
    ctx = RunContext(
        profile, "acme", public_roots=stores, resolver=loopback_resolver(dns_port, 1.0)
    )
    check = build_checks(profile, "acme")[0]

    result = await run_check(check, ctx)

    assert result.status is Status.WARN
    assert result.evidence["measured_status"] == "fail"


def test_web_rejects_bad_url(tmp_path) -> None:
    with pytest.raises(ProfileError, match="urls"):
        load_profile(write_profile(tmp_path, "web", urls=["ftp://example.test/"]))


def test_web_lists_hosts(make_check) -> None:
    check, _ = make_check(
        "web", urls=[f"https://{HOST}/", f"http://{HOST}/x", f"https://{OTHER}/"]
    )

    assert check.hosts() == [HOST, OTHER]


# --- ca-download -------------------------------------------------------------------


def ca_app(pki: LabPki) -> web.Application:
    intermediate_pem = pki.intermediate.pem
    leaf_der = make_leaf(pki.intermediate, [HOST]).cert.public_bytes(
        serialization.Encoding.DER
    )

    def body(data: bytes, content_type: str = "application/pkix-cert"):
        async def handler(request: web.Request) -> web.Response:
            return web.Response(body=data, content_type=content_type)

        return handler

    async def moved(request: web.Request) -> web.Response:
        raise web.HTTPFound("http://portal.example.test/login")

    app = web.Application()
    app.router.add_get("/ca.crt", body(pki.intermediate.der))
    app.router.add_get(
        "/ca.pem", body(b"# bundle\n" + intermediate_pem, "application/x-pem-file")
    )
    app.router.add_get("/root.crt", body(pki.public_root.der))
    app.router.add_get("/leaf.crt", body(leaf_der))
    app.router.add_get("/junk.crt", body(b"\x30\x82\x01\x00not a certificate"))
    app.router.add_get("/big.crt", body(b"\x30" * 5000))
    app.router.add_get("/portal.crt", portal_page)
    app.router.add_get("/gone.crt", not_found)
    app.router.add_get("/moved.crt", moved)
    return app


async def ca_outcome(make_check, serve, pki, path: str, **params: Any):
    port = await serve(ca_app(pki))
    params.setdefault("expected_subject", pki.intermediate.subject)
    check, ctx = make_check("ca-download", url=f"http://{HOST}:{port}{path}", **params)
    return await check.run(ctx), port


async def test_ca_download_der_pass(make_check, serve, pki) -> None:
    outcome, port = await ca_outcome(make_check, serve, pki, "/ca.crt")

    evidence = outcome.evidence
    assert outcome.status is Status.PASS, outcome.summary
    assert evidence["subject"] == "CN=Lab RSA CA 2018,O=uContact Lab,C=UY"
    assert evidence["is_ca"] is True
    assert evidence["status"] == 200
    assert evidence["content_type"] == "application/pkix-cert"
    assert evidence["bytes"] == len(pki.intermediate.der)
    assert evidence["url"] == f"http://{HOST}:{port}/ca.crt"


async def test_ca_download_pem_fallback(make_check, serve, pki) -> None:
    outcome, _ = await ca_outcome(make_check, serve, pki, "/ca.pem")

    assert outcome.status is Status.PASS, outcome.summary


async def test_ca_download_subject_normalised(make_check, serve, pki) -> None:
    outcome, _ = await ca_outcome(
        make_check,
        serve,
        pki,
        "/ca.crt",
        expected_subject="cn=Lab RSA CA 2018, O=uContact Lab,C=UY",
    )

    assert outcome.status is Status.PASS, outcome.summary


async def test_ca_download_portal_html(make_check, serve, pki) -> None:
    outcome, port = await ca_outcome(make_check, serve, pki, "/portal.crt")

    assert outcome.status is Status.FAIL
    assert outcome.evidence["error"] == "html"
    assert outcome.summary.startswith("An HTML page (text/html, ")
    assert "title 'Guest Wi-Fi & Login'" in outcome.summary
    assert "came back instead of a certificate" in outcome.summary
    assert f"a captive portal or web filter answered for {HOST}" in outcome.summary
    assert HOST in outcome.remedy
    assert f"TCP port {port}" in outcome.remedy
    assert "HTTP" in outcome.remedy


async def test_ca_download_other_subject(make_check, serve, pki) -> None:
    outcome, _ = await ca_outcome(make_check, serve, pki, "/root.crt")

    assert outcome.status is Status.FAIL
    assert outcome.evidence["error"] == "subject"
    assert "CN=Lab Public Root CA" in outcome.summary
    assert "CN=Lab RSA CA 2018" in outcome.summary


async def test_ca_download_leaf_not_ca(make_check, serve, pki) -> None:
    outcome, _ = await ca_outcome(make_check, serve, pki, "/leaf.crt")

    assert outcome.status is Status.FAIL
    assert outcome.evidence["is_ca"] is False
    assert outcome.evidence["error"] == "not-ca"


async def test_ca_download_junk(make_check, serve, pki) -> None:
    outcome, _ = await ca_outcome(make_check, serve, pki, "/junk.crt")

    assert outcome.status is Status.FAIL
    assert outcome.evidence["error"] == "not-certificate"
    assert outcome.evidence["subject"] is None


async def test_ca_download_too_large(make_check, serve, pki) -> None:
    outcome, _ = await ca_outcome(
        make_check, serve, pki, "/big.crt", max_body_bytes=4096
    )

    assert outcome.status is Status.FAIL
    assert outcome.evidence["error"] == "too-large"
    assert outcome.evidence["bytes"] == 4096


async def test_ca_download_redirect_reported(make_check, serve, pki) -> None:
    outcome, _ = await ca_outcome(make_check, serve, pki, "/moved.crt")

    assert outcome.status is Status.FAIL
    assert outcome.evidence["error"] == "redirect"
    assert "http://portal.example.test/login" in outcome.summary


async def test_ca_download_http_error(make_check, serve, pki) -> None:
    outcome, port = await ca_outcome(make_check, serve, pki, "/gone.crt")

    assert outcome.status is Status.FAIL
    assert outcome.evidence["error"] == "status"
    assert "HTTP 404 Not Found" in outcome.summary
    assert f"TCP port {port}" in outcome.remedy


async def test_ca_download_refused(make_check, pki) -> None:
    port = free_port()
    check, ctx = make_check(
        "ca-download",
        url=f"http://{HOST}:{port}/ca.crt",
        expected_subject=pki.intermediate.subject,
    )

    outcome = await check.run(ctx)

    assert outcome.status is Status.FAIL
    assert outcome.evidence["error"] == "refused"
    assert f"TCP port {port}" in outcome.remedy
    assert "(HTTP)" in outcome.remedy


def test_ca_download_rejects_https(tmp_path) -> None:
    with pytest.raises(ProfileError, match="url"):
        load_profile(
            write_profile(
                tmp_path,
                "ca-download",
                url="https://cacerts.example.test/ca.crt",
                expected_subject="CN=X",
            )
        )


def test_ca_download_rejects_bad_subject(tmp_path) -> None:
    with pytest.raises(ProfileError, match="expected_subject"):
        load_profile(
            write_profile(
                tmp_path,
                "ca-download",
                url="http://cacerts.example.test/ca.crt",
                expected_subject="not a name",
            )
        )
