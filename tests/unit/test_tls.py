"""The tls check against real TLS servers on 127.0.0.1, with the PKI of tests/pki.py.

Names resolve through a real dnsmasq on loopback (localhost and aia.lab.test resolve to
127.0.0.1, other .test names get NXDOMAIN). The browser store is a --public-roots file;
the OS store is the bundle that SSL_CERT_FILE names, which truststore follows on Linux.
"""

from __future__ import annotations

import asyncio
import ssl
import time
import warnings
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from aiohttp import web
from cryptography.hazmat.primitives import hashes

from app.core.checks import build_checks
from app.core.context import RunContext
from app.core.model import Status
from app.core.profile import load_profile
from app.core.tlsinspect import verify_os
from tests import pki
from tests.loopback import (
    free_port,
    loopback_resolver,
    server_context,
    start_dnsmasq,
    stop,
)

HOST = "localhost"
AIA_HOST = "aia.lab.test"


# DNS: a real dnsmasq on loopback


@pytest.fixture(scope="module")
def dns_port() -> Iterator[int]:
    process, port = start_dnsmasq({HOST: "127.0.0.1", AIA_HOST: "127.0.0.1"})
    yield port
    stop(process)


# PKI and trust stores


@pytest.fixture(scope="module")
def lab_pki() -> pki.LabPki:
    return pki.make_lab_pki()


@dataclass
class Stores:
    public_roots: Path  # the browser store, for RunContext(public_roots=...)
    os_store: Path  # the bundle SSL_CERT_FILE names

    def write(self, public: list[pki.Authority], os_roots: list[pki.Authority]) -> None:
        self.public_roots.write_bytes(b"".join(a.pem for a in public))
        self.os_store.write_bytes(b"".join(a.pem for a in os_roots))


@pytest.fixture
def stores(tmp_path, monkeypatch, lab_pki) -> Stores:
    """Browser store: the public root. OS store: the public and inspection roots."""
    empty = tmp_path / "empty-cert-dir"
    empty.mkdir()
    result = Stores(tmp_path / "public-roots.pem", tmp_path / "os-store.pem")
    result.write([lab_pki.public_root], [lab_pki.public_root, lab_pki.inspection_root])
    monkeypatch.setenv("SSL_CERT_FILE", str(result.os_store))
    monkeypatch.setenv("SSL_CERT_DIR", str(empty))
    return result


# Servers


async def hello(request: web.Request) -> web.Response:
    return web.Response(text="uContact test page")


@dataclass
class Servers:
    runners: list[web.AppRunner]
    plain: list[asyncio.Server]

    async def https(
        self, context: ssl.SSLContext, routes: list[web.RouteDef] | None = None
    ) -> int:
        app = web.Application()
        app.add_routes(routes or [web.get("/", hello)])
        return await self._start(app, context)

    async def http(self, routes: list[web.RouteDef]) -> int:
        app = web.Application()
        app.add_routes(routes)
        return await self._start(app, None)

    async def _start(self, app: web.Application, context: ssl.SSLContext | None) -> int:
        runner = web.AppRunner(app, handle_signals=False, shutdown_timeout=0.5)
        await runner.setup()
        self.runners.append(runner)
        port = free_port()
        site = web.TCPSite(runner, "127.0.0.1", port, ssl_context=context)
        await site.start()
        return port

    async def tcp(self, handler: Callable) -> int:
        server = await asyncio.start_server(handler, "127.0.0.1", 0)
        self.plain.append(server)
        return server.sockets[0].getsockname()[1]


@pytest.fixture
async def servers() -> AsyncIterator[Servers]:
    running = Servers([], [])
    yield running
    for server in running.plain:
        server.close()
    for runner in running.runners:
        await runner.cleanup()


# Profile and run


def write_profile(
    folder: Path,
    checks: str,
    *,
    expected_issuers: tuple[str, ...] | list[str] = (),
    distrusted: str = "",
    warn_days: int = 30,
) -> Path:
    issuers = ", ".join(f'"{name}"' for name in expected_issuers)
    text = f"""
[profile]
name = "TLS unit test"
instance_host = "{{instance}}.lab.test"

[trust]
expected_issuers = [{issuers}]
{distrusted}

[thresholds]
certificate_expiry_warn_days = {warn_days}

{checks}
"""
    path = folder / "profile.toml"
    path.write_text(text, encoding="utf-8")
    return path


def tls_check_toml(port: int, host: str = HOST, timeout_s: float = 4) -> str:
    return f"""
[[check]]
id = "tls"
kind = "tls"
group = "security"
title = "TLS certificate"
requirement = "TLS 1.2 or newer and a trusted certificate"
timeout_s = {timeout_s}
host = "{host}"
port = {port}
"""


async def run_profile(path: Path, stores: Stores, dns_port: int) -> dict:
    """Run every check of the profile in one RunContext; return outcomes by id."""
    profile = load_profile(path)
    ctx = RunContext(
        profile,
        "unit",
        public_roots=stores.public_roots,
        resolver=loopback_resolver(dns_port),
    )
    checks = build_checks(profile, "unit")
    try:
        outcomes = await asyncio.gather(*(check.run(ctx) for check in checks))
    finally:
        ctx.close()
    return {check.spec.id: outcome for check, outcome in zip(checks, outcomes)}


async def run_tls(tmp_path: Path, stores: Stores, dns_port: int, port: int, **kwargs):
    host = kwargs.pop("host", HOST)
    timeout_s = kwargs.pop("timeout_s", 4)
    path = write_profile(tmp_path, tls_check_toml(port, host, timeout_s), **kwargs)
    return (await run_profile(path, stores, dns_port))["tls"]


# Tests


async def test_tls_healthy_chain_passes(tmp_path, stores, dns_port, servers, lab_pki):
    leaf = pki.make_leaf(lab_pki.intermediate, [HOST, "127.0.0.1"])
    port = await servers.https(server_context(leaf, tmp_path))

    outcome = await run_tls(
        tmp_path,
        stores,
        dns_port,
        port,
        expected_issuers=[lab_pki.intermediate.subject],
    )

    assert outcome.status is Status.PASS, outcome.summary
    evidence = outcome.evidence
    assert evidence["version"] in ("TLSv1.2", "TLSv1.3")
    assert evidence["cipher_bits"] >= 128
    assert evidence["hostname_ok"] is True
    assert evidence["browser_trusted"] is True
    assert evidence["os_trusted"] is True
    assert evidence["interception"] is False
    assert evidence["expected_issuer_ok"] is True
    assert evidence["aia_fetched"] is None
    assert evidence["address"] == "127.0.0.1"
    assert evidence["chain_sent"] == [
        leaf.cert.subject.rfc4514_string(),
        lab_pki.intermediate.subject,
    ]
    assert 190 <= evidence["days_left"] <= 200
    assert outcome.remedy == ""


async def test_tls_records_alpn_choice(tmp_path, stores, dns_port, servers, lab_pki):
    context = server_context(pki.make_leaf(lab_pki.intermediate, [HOST]), tmp_path)
    context.set_alpn_protocols(["h2", "http/1.1"])
    port = await servers.https(context)

    outcome = await run_tls(tmp_path, stores, dns_port, port)

    assert outcome.evidence["alpn"] == "h2"


async def test_tls_old_version_fails(tmp_path, stores, dns_port, servers, lab_pki):
    context = server_context(pki.make_leaf(lab_pki.intermediate, [HOST]), tmp_path)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        context.minimum_version = ssl.TLSVersion.TLSv1_1
        context.maximum_version = ssl.TLSVersion.TLSv1_1
    # OpenSSL 3 signs TLS 1.1 handshakes with SHA-1, allowed only at level 0.
    context.set_ciphers("ALL:@SECLEVEL=0")
    port = await servers.https(context)

    outcome = await run_tls(tmp_path, stores, dns_port, port)

    assert outcome.status is Status.FAIL
    assert outcome.evidence["version"] == "TLSv1.1"
    assert "TLSv1.1" in outcome.summary
    assert f"TCP port {port}" in outcome.remedy


async def test_tls_weak_cipher_fails(tmp_path, stores, dns_port, servers, lab_pki):
    # This OpenSSL build has no 3DES or RC4; a NULL cipher (0-bit) is the weak one
    # that it still negotiates at security level 0.
    context = server_context(pki.make_leaf(lab_pki.intermediate, [HOST]), tmp_path)
    context.maximum_version = ssl.TLSVersion.TLSv1_2
    context.set_ciphers("ECDHE-ECDSA-NULL-SHA:@SECLEVEL=0")
    port = await servers.https(context)

    outcome = await run_tls(tmp_path, stores, dns_port, port)

    assert outcome.status is Status.FAIL
    assert outcome.evidence["cipher"] == "ECDHE-ECDSA-NULL-SHA"
    assert outcome.evidence["cipher_bits"] == 0
    assert "below 128 bits" in outcome.summary


async def test_tls_hostname_mismatch_fails(
    tmp_path, stores, dns_port, servers, lab_pki
):
    leaf = pki.make_leaf(lab_pki.intermediate, ["other.lab.test"])
    port = await servers.https(server_context(leaf, tmp_path))

    outcome = await run_tls(tmp_path, stores, dns_port, port)

    assert outcome.status is Status.FAIL
    assert outcome.evidence["hostname_ok"] is False
    assert "other.lab.test" in outcome.summary
    # The chain itself is fine, so the mismatch is not taken for interception.
    assert outcome.evidence["browser_trusted"] is True
    assert outcome.evidence["os_trusted"] is True
    assert outcome.evidence["interception"] is False
    assert HOST in outcome.remedy


async def test_tls_expired_fails(tmp_path, stores, dns_port, servers, lab_pki):
    leaf = pki.make_leaf(lab_pki.intermediate, [HOST], expired=True)
    port = await servers.https(server_context(leaf, tmp_path))

    outcome = await run_tls(tmp_path, stores, dns_port, port)

    assert outcome.status is Status.FAIL
    assert "expired" in outcome.summary
    assert outcome.evidence["days_left"] < 0
    assert outcome.evidence["interception"] is False
    assert f"TCP port {port}" in outcome.remedy


async def test_tls_near_expiry_warns(tmp_path, stores, dns_port, servers, lab_pki):
    # The leaf has about 200 days left; a 365-day threshold makes that "near".
    leaf = pki.make_leaf(lab_pki.intermediate, [HOST])
    port = await servers.https(server_context(leaf, tmp_path))

    outcome = await run_tls(tmp_path, stores, dns_port, port, warn_days=365)

    assert outcome.status is Status.WARN
    assert "expires in" in outcome.summary
    assert HOST in outcome.remedy


async def test_tls_interception_warns(tmp_path, stores, dns_port, servers, lab_pki):
    leaf = pki.make_leaf(lab_pki.inspection_root, [HOST], chain=[])
    port = await servers.https(server_context(leaf, tmp_path))

    outcome = await run_tls(
        tmp_path,
        stores,
        dns_port,
        port,
        expected_issuers=[lab_pki.intermediate.subject],
    )

    assert outcome.status is Status.WARN
    assert outcome.evidence["interception"] is True
    assert outcome.evidence["browser_trusted"] is False
    assert outcome.evidence["os_trusted"] is True
    assert "Corp Inspection Root" in outcome.summary
    assert "TLS inspection" in outcome.remedy
    assert f"TCP port {port}" in outcome.remedy
    # The issuer warning is left out: interception already explains it.
    assert "not by the expected" not in outcome.summary


async def test_tls_unexpected_issuer_warns(
    tmp_path, stores, dns_port, servers, lab_pki
):
    leaf = pki.make_leaf(lab_pki.intermediate, [HOST])
    port = await servers.https(server_context(leaf, tmp_path))

    outcome = await run_tls(
        tmp_path,
        stores,
        dns_port,
        port,
        expected_issuers=["CN=Other CA,O=Elsewhere,C=US"],
    )

    assert outcome.status is Status.WARN
    assert outcome.evidence["expected_issuer_ok"] is False
    assert "CN=Other CA" in outcome.summary


async def test_tls_distrusted_root_fails(tmp_path, stores, dns_port, servers, lab_pki):
    old_root = pki.make_root("Old Global Root CA", org="Old Trust Inc")
    old_intermediate = pki.make_intermediate(
        old_root, "Old RSA CA", org="Old Trust Inc"
    )
    stores.write(
        [lab_pki.public_root, old_root],
        [lab_pki.public_root, lab_pki.inspection_root, old_root],
    )
    leaf = pki.make_leaf(old_intermediate, [HOST])
    port = await servers.https(server_context(leaf, tmp_path))
    distrusted = f"""
[[trust.distrusted_roots]]
subject = "{old_root.subject}"
sha256 = "{old_root.cert.fingerprint(hashes.SHA256()).hex()}"
removed = 2020-01-15
removed_by = "Chrome and Mozilla"
"""

    outcome = await run_tls(tmp_path, stores, dns_port, port, distrusted=distrusted)

    assert outcome.status is Status.FAIL
    assert outcome.evidence["distrusted_root"] == old_root.subject
    assert "Old Global Root CA" in outcome.summary
    assert "removed on 2020-01-15" in outcome.summary
    assert "Chrome rejects it" in outcome.summary
    assert outcome.evidence["interception"] is False
    assert "reissue" in outcome.remedy


async def test_tls_distrusted_root_by_name_only(
    tmp_path, stores, dns_port, servers, lab_pki
):
    # The browser store no longer has the root, as after a real removal: the issuer
    # name of the top certificate identifies it, and it is not taken for interception.
    old_root = pki.make_root("Old Global Root CA", org="Old Trust Inc")
    old_intermediate = pki.make_intermediate(
        old_root, "Old RSA CA", org="Old Trust Inc"
    )
    stores.write([lab_pki.public_root], [lab_pki.public_root, old_root])
    leaf = pki.make_leaf(old_intermediate, [HOST])
    port = await servers.https(server_context(leaf, tmp_path))
    distrusted = f"""
[[trust.distrusted_roots]]
subject = "{old_root.subject}"
sha256 = "{"00" * 32}"
removed = 2020-01-15
removed_by = "Chrome and Mozilla"
"""

    outcome = await run_tls(tmp_path, stores, dns_port, port, distrusted=distrusted)

    assert outcome.status is Status.FAIL
    assert outcome.evidence["distrusted_root"] == old_root.subject
    assert outcome.evidence["interception"] is False
    assert outcome.evidence["browser_trusted"] is False


@pytest.fixture
async def aia_server(servers, lab_pki) -> int:
    async def intermediate(request: web.Request) -> web.Response:
        return web.Response(
            body=lab_pki.intermediate.der, content_type="application/pkix-cert"
        )

    return await servers.http([web.get("/LabRSACA2018.crt", intermediate)])


async def test_tls_intermediate_from_aia(
    tmp_path, stores, dns_port, servers, lab_pki, aia_server
):
    url = f"http://{AIA_HOST}:{aia_server}/LabRSACA2018.crt"
    leaf = pki.make_leaf(lab_pki.intermediate, [HOST], aia_url=url)
    port = await servers.https(server_context(leaf, tmp_path, send_chain=False))

    outcome = await run_tls(tmp_path, stores, dns_port, port)

    assert outcome.status is Status.PASS, outcome.summary
    assert outcome.evidence["aia_fetched"] == url
    assert outcome.evidence["chain_sent"] == [leaf.cert.subject.rfc4514_string()]
    assert outcome.evidence["browser_trusted"] is True
    assert outcome.evidence["os_trusted"] is True
    assert "omits its intermediate" in outcome.summary
    assert url in outcome.summary


async def test_tls_aia_unreachable_fails(tmp_path, stores, dns_port, servers, lab_pki):
    closed_port = free_port()
    url = f"http://{AIA_HOST}:{closed_port}/LabRSACA2018.crt"
    leaf = pki.make_leaf(lab_pki.intermediate, [HOST], aia_url=url)
    port = await servers.https(server_context(leaf, tmp_path, send_chain=False))

    outcome = await run_tls(tmp_path, stores, dns_port, port)

    assert outcome.status is Status.FAIL
    assert outcome.evidence["aia_fetched"] is None
    assert outcome.evidence["aia_url"] == url
    assert outcome.evidence["interception"] is False
    assert url in outcome.summary
    assert f"TCP port {closed_port}" in outcome.remedy
    assert AIA_HOST in outcome.remedy
    assert "HTTP" in outcome.remedy
    assert "full certificate chain" in outcome.remedy


async def test_tls_aia_html_page_fails(tmp_path, stores, dns_port, servers, lab_pki):
    async def portal(request: web.Request) -> web.Response:
        return web.Response(text="<html>Sign in</html>", content_type="text/html")

    aia_port = await servers.http([web.get("/LabRSACA2018.crt", portal)])
    url = f"http://{AIA_HOST}:{aia_port}/LabRSACA2018.crt"
    leaf = pki.make_leaf(lab_pki.intermediate, [HOST], aia_url=url)
    port = await servers.https(server_context(leaf, tmp_path, send_chain=False))

    outcome = await run_tls(tmp_path, stores, dns_port, port)

    assert outcome.status is Status.FAIL
    assert "text/html" in outcome.summary
    assert outcome.evidence["aia_fetched"] is None


async def test_tls_silent_server_times_out(tmp_path, stores, dns_port, servers):
    async def silent(reader, writer):
        await reader.read()  # until the client gives up
        writer.close()

    port = await servers.tcp(silent)
    started = time.monotonic()

    outcome = await run_tls(tmp_path, stores, dns_port, port, timeout_s=2)

    assert time.monotonic() - started < 2
    assert outcome.status is Status.FAIL
    assert outcome.evidence["stage"] == "tls"
    assert outcome.evidence["error"] == "timeout"
    assert f"TCP port {port}" in outcome.remedy


async def test_tls_garbage_server_fails(tmp_path, stores, dns_port, servers):
    async def garbage(reader, writer):
        writer.write(b"220 mail.lab.test ESMTP ready\r\n" * 20)
        await writer.drain()
        await reader.read(1024)
        writer.close()

    port = await servers.tcp(garbage)

    outcome = await run_tls(tmp_path, stores, dns_port, port)

    assert outcome.status is Status.FAIL
    assert outcome.evidence["stage"] == "tls"
    assert outcome.evidence["error"] == "not-tls"
    assert HOST in outcome.remedy


async def test_tls_nxdomain_fails(tmp_path, stores, dns_port):
    outcome = await run_tls(tmp_path, stores, dns_port, 443, host="missing.lab.test")

    assert outcome.status is Status.FAIL
    assert outcome.evidence["stage"] == "dns"
    assert outcome.evidence["error"] == "nxdomain"
    assert "missing.lab.test" in outcome.remedy


async def test_tls_refused_fails(tmp_path, stores, dns_port):
    port = free_port()

    outcome = await run_tls(tmp_path, stores, dns_port, port)

    assert outcome.status is Status.FAIL
    assert outcome.evidence["error"] == "refused"
    assert f"TCP port {port}" in outcome.remedy


async def test_os_store_follows_ssl_cert_file(
    tmp_path, stores, dns_port, servers, lab_pki, monkeypatch
):
    leaf = pki.make_leaf(lab_pki.inspection_root, [HOST], chain=[])
    port = await servers.https(server_context(leaf, tmp_path))
    path = write_profile(tmp_path, tls_check_toml(port))
    ctx = RunContext(
        load_profile(path),
        "unit",
        public_roots=stores.public_roots,
        resolver=loopback_resolver(dns_port),
    )

    trusted = await verify_os(ctx, HOST, port, None, 2)
    only_public = tmp_path / "only-public.pem"
    only_public.write_bytes(lab_pki.public_root.pem)
    monkeypatch.setenv("SSL_CERT_FILE", str(only_public))
    rejected = await verify_os(ctx, HOST, port, None, 2)

    assert trusted.chain_trusted is True
    assert rejected.chain_trusted is False
    assert rejected.verify_code == 20  # X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY
