"""The responder on loopback: token replies, echo, size rule, rate limit, SIGTERM."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.core import probe_token, quic
from app.responder.ratelimit import SourceRateLimiter
from app.responder.server import Responder, build_reply

REPO = Path(__file__).resolve().parents[2]
PORTS = list(range(39000, 39010))


@pytest.fixture
def responder() -> Iterator[Responder]:
    server = Responder("127.0.0.1", PORTS, rate=1000, burst=50)
    server.open()
    thread = threading.Thread(target=server.serve, daemon=True)
    thread.start()
    yield server
    server.stop()
    thread.join(timeout=3)


def exchange(port: int, data: bytes) -> bytes | None:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.settimeout(1.0)
        sock.sendto(data, ("127.0.0.1", port))
        try:
            return sock.recvfrom(4096)[0]
        except TimeoutError:
            return None


def test_probe_gets_token_and_source(responder: Responder) -> None:
    token = probe_token.new_token()
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.bind(("127.0.0.1", 0))
        sock.settimeout(1.0)
        sock.sendto(probe_token.encode_probe(token), ("127.0.0.1", PORTS[3]))
        reply = probe_token.parse_reply(sock.recvfrom(4096)[0])
        local_port = sock.getsockname()[1]
    assert reply is not None
    assert reply.token == token
    assert reply.observed == f"127.0.0.1:{local_port}"


def test_empty_datagram_is_answered(responder: Responder) -> None:
    assert exchange(PORTS[0], b"") == b""


def test_other_data_is_echoed(responder: Responder) -> None:
    assert exchange(PORTS[-1], b"\x80\x00hello") == b"\x80\x00hello"


def test_quic_probe_gets_version_negotiation(responder: Responder) -> None:
    packet, source_cid = quic.encode_probe()
    negotiation = quic.parse_version_negotiation(exchange(PORTS[1], packet) or b"")
    assert negotiation is not None
    assert negotiation.destination_cid == source_cid


def test_rate_limit_drops_beyond_burst(responder: Responder) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.settimeout(0.3)
        for _ in range(200):
            sock.sendto(b"x", ("127.0.0.1", PORTS[2]))
        replies = 0
        try:
            while True:
                sock.recvfrom(64)
                replies += 1
        except TimeoutError:
            pass
    # 50 at once, plus what the rate refills (1000/s) while 200 datagrams go out.
    assert 50 <= replies < 200
    assert responder.counters.rate_limited >= 1


@pytest.mark.parametrize("size", [0, 1, 5, 13, 20, 21, 47, 48, 1200, 1500])
def test_reply_never_larger_than_request(size: int) -> None:
    token = b"abcdefgh"
    requests = [
        bytes(size),
        probe_token.encode_probe(token, size)[:size],
        quic.encode_probe()[0][:size] + bytes(max(0, size - 1200)),
    ]
    for request in requests:
        assert len(build_reply(request, "2001:db8::1", 65535)) <= len(request)


def test_truncated_probe_reply_is_cut() -> None:
    probe = probe_token.encode_probe(b"abcdefgh", 16)
    assert len(build_reply(probe, "198.51.100.1", 1)) == 16


def test_limiter_refills_at_rate() -> None:
    limiter = SourceRateLimiter(rate=10, burst=2)
    assert limiter.allow("a", now=0.0)
    assert limiter.allow("a", now=0.0)
    assert not limiter.allow("a", now=0.0)
    assert limiter.allow("a", now=0.1)


def test_limiter_is_per_source() -> None:
    limiter = SourceRateLimiter(rate=1, burst=1)
    assert limiter.allow("a", now=0.0)
    assert limiter.allow("b", now=0.0)


def test_limiter_forgets_oldest_source() -> None:
    limiter = SourceRateLimiter(rate=1, burst=1, max_sources=2)
    for source in ("a", "b", "c"):
        limiter.allow(source, now=0.0)
    assert len(limiter._buckets) == 2


def test_sigterm_stops_and_logs(tmp_path: Path) -> None:
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "app",
            "responder",
            "--bind",
            "127.0.0.1",
            "--rtp-range",
            "39100-39120",
            "--port",
            "39130",
            "--sip-port",
            "39131",
        ],
        cwd=REPO,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    try:
        deadline = time.monotonic() + 10
        while exchange(39130, b"ping") != b"ping":
            assert time.monotonic() < deadline, "the responder did not start"
        process.send_signal(signal.SIGTERM)
        _, log = process.communicate(timeout=5)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 0
    assert "responder started on UDP 127.0.0.1 ports 39100-39120, 39130" in log
    assert "responder stopped:" in log
    assert "SIP mirror started on UDP and TCP 127.0.0.1 port 39131" in log
    assert "SIP mirror stopped: 0 requests" in log


def test_busy_port_is_reported(tmp_path: Path) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as taken:
        taken.bind(("127.0.0.1", 39150))
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "app",
                "responder",
                "--bind",
                "127.0.0.1",
                "--port",
                "39150",
                "--no-sip",
            ],
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
            env={**os.environ, "PYTHONPATH": str(REPO)},
        )
    assert result.returncode == 3
    assert "cannot bind UDP 127.0.0.1 port 39150" in result.stderr


def test_invalid_range_exits_3() -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "app",
            "responder",
            "--bind",
            "127.0.0.1",
            "--rtp-range",
            "20000-10000",
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=10,
        check=False,
    )
    assert result.returncode == 3
    assert "invalid port range '20000-10000'" in result.stderr


def test_file_limit_too_low_is_explained() -> None:
    script = (
        "import resource, sys\n"
        "resource.setrlimit(resource.RLIMIT_NOFILE, (64, 64))\n"
        "from app.cli import main\n"
        "sys.exit(main(['responder', '--bind', '127.0.0.1', '--rtp-range', "
        "'39200-39400']))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=10,
        check=False,
    )
    assert result.returncode == 3
    assert "needs 233 open files but the hard limit is 64" in result.stderr
    assert "nftables DNAT" in result.stderr
