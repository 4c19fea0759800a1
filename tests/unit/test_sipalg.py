"""The responder's SIP mirror and the sip-alg check on loopback."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest

from app.core import sipmirror
from app.core.checks import build_checks
from app.core.checks.sipalg import SipAlgCheck
from app.core.context import RunContext
from app.core.model import CheckSpec, Severity, Status
from app.core.paths import builtin_profile_path
from app.core.profile import Profile, load_profile
from app.core.sipparse import MAX_MESSAGE, parse_message
from app.core.sipprobe import build_request
from app.responder import sip
from app.responder.server import Responder
from tests.loopback import free_port, loopback_resolver, start_dnsmasq, stop
from tests.profiles import bare_profile

HOST = "127.0.0.1"


def make_profile() -> Profile:
    return bare_profile()


def make_check(**params: Any) -> SipAlgCheck:
    spec = CheckSpec(
        id="sip-alg",
        kind="sip-alg",
        title="sip-alg",
        requirement="test",
        severity=Severity.REQUIRED,
        group="signalling",
        timeout_s=4,
        params={"responder": HOST, "wait_s": 0.3, "retries": 1, **params},
    )
    return SipAlgCheck(spec, make_profile())


def free_sip_port() -> int:
    """Return a port free for both UDP and TCP on loopback."""
    for _ in range(20):
        port = free_port(socket.SOCK_DGRAM)
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
            try:
                probe.bind((HOST, port))
            except OSError:
                continue
        return port
    raise AssertionError("no port free for both UDP and TCP")


@pytest.fixture
def responder() -> Iterator[Responder]:
    server = Responder(HOST, [], rate=1000, burst=20, sip_port=free_sip_port())
    server.open()
    thread = threading.Thread(target=server.serve, daemon=True)
    thread.start()
    yield server
    server.stop()
    thread.join(timeout=3)


def sip_port(server: Responder) -> int:
    assert server.sip is not None
    return server.sip.port


def udp_exchange(port: int, data: bytes, timeout: float = 1.0) -> bytes | None:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.settimeout(timeout)
        sock.sendto(data, (HOST, port))
        try:
            return sock.recvfrom(65535)[0]
        except TimeoutError:
            return None


def tcp_read_all(sock: socket.socket) -> bytes:
    data = b""
    while chunk := sock.recv(65535):
        data += chunk
    return data


def test_udp_request_is_mirrored(responder: Responder) -> None:
    port = sip_port(responder)
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.bind((HOST, 0))
        sock.settimeout(1.0)
        sent = build_request("OPTIONS", "udp", sock.getsockname(), (HOST, port))
        sock.sendto(sent.data, (HOST, port))
        response = sock.recvfrom(65535)[0]
        local_port = sock.getsockname()[1]
    message = parse_message(response)
    assert message is not None
    mirror = sipmirror.decode_body(message.body)
    assert mirror is not None
    assert mirror.request == sent.data
    assert mirror.source == f"127.0.0.1:{local_port}"
    assert mirror.transport == "udp"
    assert len(response) <= len(sent.data)


def test_tcp_request_is_mirrored(responder: Responder) -> None:
    port = sip_port(responder)
    with socket.create_connection((HOST, port), timeout=2) as sock:
        sent = build_request("INVITE", "tcp", sock.getsockname(), (HOST, port))
        # Two writes, so the server must reassemble by Content-Length.
        sock.sendall(sent.data[:100])
        time.sleep(0.05)
        sock.sendall(sent.data[100:])
        response = tcp_read_all(sock)
    message = parse_message(response)
    assert message is not None
    assert message.status_code == 603
    mirror = sipmirror.decode_body(message.body)
    assert mirror is not None
    assert mirror.request == sent.data
    assert mirror.transport == "tcp"


def test_udp_garbage_gets_no_answer(responder: Responder) -> None:
    assert udp_exchange(sip_port(responder), b"x" * 500, timeout=0.3) is None
    assert responder.sip is not None
    assert responder.sip.counters.invalid == 1


def test_tcp_oversized_request_is_closed(responder: Responder) -> None:
    port = sip_port(responder)
    with socket.create_connection((HOST, port), timeout=2) as sock:
        head = b"OPTIONS sip:a SIP/2.0\r\nX: " + b"a" * MAX_MESSAGE
        try:
            sock.sendall(head)
        except OSError:
            pass
        assert tcp_read_all(sock) == b""


def test_tcp_slow_request_times_out(
    responder: Responder, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert responder.sip is not None
    port = sip_port(responder)
    monkeypatch.setattr(sip, "TCP_TIMEOUT_S", 0.3)
    with socket.create_connection((HOST, port), timeout=3) as sock:
        sock.sendall(b"OPTIONS sip:a SIP/2.0\r\n")
        started = time.monotonic()
        assert tcp_read_all(sock) == b""
        elapsed = time.monotonic() - started
    assert elapsed < 2.0
    assert responder.sip.counters.tcp_timeouts == 1


def test_sip_rate_limit_per_source(responder: Responder) -> None:
    port = sip_port(responder)
    sent = build_request("OPTIONS", "udp", ("127.0.0.1", 1), (HOST, port))
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.settimeout(0.3)
        for _ in range(60):
            sock.sendto(sent.data, (HOST, port))
        replies = 0
        try:
            while True:
                sock.recvfrom(65535)
                replies += 1
        except TimeoutError:
            pass
    # A burst of 20, plus what the rate (1000/s) refills while 60 requests go out.
    assert 20 <= replies < 60
    assert responder.sip is not None
    assert responder.sip.counters.rate_limited >= 1


async def test_check_passes_through_loopback(responder: Responder) -> None:
    port = sip_port(responder)
    check = make_check(port=port, local_port=free_sip_port())
    ctx = RunContext(make_profile(), "acme")
    outcome = await check.run(ctx)
    assert outcome.status is Status.PASS, outcome.summary
    exchanges = outcome.evidence["exchanges"]
    assert [(e["transport"], e["method"]) for e in exchanges] == [
        ("udp", "OPTIONS"),
        ("udp", "INVITE"),
        ("tcp", "OPTIONS"),
        ("tcp", "INVITE"),
    ]
    assert all(e["identical"] for e in exchanges)
    assert "WSS" in outcome.summary


async def test_check_busy_local_port_uses_another(responder: Responder) -> None:
    port = sip_port(responder)
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as busy:
        busy.bind(("0.0.0.0", 0))
        taken = busy.getsockname()[1]
        outcome = await make_check(port=port, local_port=taken).run(
            RunContext(make_profile(), "acme")
        )
    assert outcome.status is Status.PASS, outcome.summary
    assert outcome.evidence["udp_local_port"] != taken
    assert f"because local port {taken} is in use" in outcome.summary


async def test_check_without_responder_is_unknown() -> None:
    port = free_sip_port()
    outcome = await make_check(port=port, local_port=0).run(
        RunContext(make_profile(), "acme")
    )
    assert outcome.status is Status.UNKNOWN
    assert f"No responder answered on UDP/TCP {port} at {HOST}" in outcome.summary
    assert "SIP ALG could not be tested" in outcome.summary
    assert f"UDP and TCP port {port}" in outcome.remedy
    assert HOST in outcome.remedy


async def test_check_unresolvable_host_fails() -> None:
    dnsmasq, dns_port = start_dnsmasq({})
    try:
        ctx = RunContext(
            make_profile(), "acme", resolver=loopback_resolver(dns_port, 1.0)
        )
        outcome = await make_check(responder="missing.test", port=5060).run(ctx)
    finally:
        stop(dnsmasq)
    assert outcome.status is Status.FAIL
    assert outcome.evidence["stage"] == "dns"
    assert outcome.evidence["error"] == "nxdomain"
    assert "missing.test" in outcome.remedy
    assert "TCP port 5060" in outcome.remedy


def test_builtin_profile_has_sip_alg() -> None:
    profile = load_profile(builtin_profile_path())
    checks = {check.spec.id: check for check in build_checks(profile, "acme")}
    check = checks["sip-alg"]
    assert isinstance(check, SipAlgCheck)
    assert check.responder == "acme.ucontactcloud.com"
    assert check.port == 5060
    assert check.local_port == 5060
    assert check.spec.severity is Severity.REQUIRED
    assert check.spec.group == "signalling"
    assert check.hosts() == ["acme.ucontactcloud.com"]
