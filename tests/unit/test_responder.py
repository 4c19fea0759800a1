"""The responder on loopback: token replies, echo, size rule, rate limit, SIGTERM."""

from __future__ import annotations

import logging
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
from app.core.sipprobe import build_request
from app.responder import cli
from app.responder.ratelimit import RepeatCounter, SourceRateLimiter
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
    assert "(22 sockets)" in log
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
    # 201 ports, 32 spare, and 130 for the SIP mirror's sockets and connections.
    assert "needs 363 open files" in result.stderr
    assert "the hard limit is 64" in result.stderr
    assert "LimitNOFILE=363" in result.stderr
    assert "nftables DNAT" in result.stderr


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "app", "responder", *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=10,
        check=False,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )


@pytest.mark.parametrize(
    ("option", "value"),
    [("--rate", "nan"), ("--rate", "inf"), ("--rate", "0"), ("--sip-rate", "nan")],
)
def test_rate_must_be_finite(
    option: str, value: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code = cli.main(["--bind", "127.0.0.1", "--port", "39300", option, value])
    error = capsys.readouterr().err
    assert code == 3
    assert f"{option} must be a finite number above 0" in error
    assert f"(got {value})" in error


@pytest.mark.parametrize("option", ["--burst", "--sip-burst"])
def test_burst_must_be_in_range(
    option: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code = cli.main(["--bind", "127.0.0.1", "--port", "39300", option, "0"])
    error = capsys.readouterr().err
    assert code == 3
    assert f"{option} must be a whole number from 1 to 1,000,000 (got 0)" in error


def test_no_echo_port_exits_3() -> None:
    result = run_cli("--bind", "127.0.0.1", "--sip-port", "39301")
    assert result.returncode == 3
    assert "no UDP port to answer on" in result.stderr


def test_sip_port_out_of_range_is_named() -> None:
    result = run_cli("--bind", "127.0.0.1", "--port", "39302", "--sip-port", "70000")
    assert result.returncode == 3
    assert "invalid port '70000'; give one port from 1 to 65535" in result.stderr


def test_foreign_address_is_explained() -> None:
    # Binding sends nothing; 192.0.2.1 (TEST-NET-1) is on no interface here.
    result = run_cli("--bind", "192.0.2.1", "--port", "39303", "--no-sip")
    assert result.returncode == 3
    assert "192.0.2.1 is not an address of this host" in result.stderr
    assert "stop the program that uses it" not in result.stderr


def test_repeat_counter_logs_first_then_counts() -> None:
    counter: RepeatCounter[str] = RepeatCounter(interval_s=10.0)
    first = counter.add("a", now=0.0, detail=1)
    later = [counter.add("a", now=0.1 * i, detail=i) for i in range(1, 100)]
    early = counter.take_due(now=5.0)
    due = counter.take_due(now=10.0)
    quiet = counter.take_due(now=20.0)
    assert first
    assert not any(later)
    assert early == []
    assert [(r.key, r.count, r.detail) for r in due] == [("a", 100, 99)]
    assert quiet == []
    assert counter.add("a", now=21.0)


def test_repeat_counter_flood_reports_each_window() -> None:
    counter: RepeatCounter[str] = RepeatCounter(interval_s=10.0)
    counter.add("a", now=0.0)
    counter.add("a", now=1.0)
    assert [r.count for r in counter.take_due(now=10.0)] == [2]
    for i in range(5):
        counter.add("a", now=11.0 + i)
    assert [r.count for r in counter.take_due(now=20.0)] == [5]


def test_single_drop_is_not_counted_again() -> None:
    counter: RepeatCounter[str] = RepeatCounter(interval_s=10.0)
    counter.add("a", now=0.0)
    assert counter.take_due(now=10.0) == []
    assert counter.take_all() == []


def test_sip_has_own_rate_limit(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, "app.responder")
    server = Responder(
        "127.0.0.1",
        [39310],
        rate=1000,
        burst=50,
        sip_port=39311,
        sip_rate=20,
        sip_burst=4,
    )
    server.open()
    thread = threading.Thread(target=server.serve, daemon=True)
    thread.start()
    try:
        sent = build_request("OPTIONS", "udp", ("127.0.0.1", 1), ("127.0.0.1", 39311))
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
            sock.bind(("127.0.0.1", 0))
            sock.settimeout(0.3)
            for _ in range(30):
                sock.sendto(sent.data, ("127.0.0.1", 39311))
            replies = 0
            try:
                while True:
                    sock.recvfrom(65535)
                    replies += 1
            except TimeoutError:
                pass
            sock.sendto(b"ping", ("127.0.0.1", 39310))
            echo = sock.recvfrom(64)[0]
    finally:
        server.stop()
        thread.join(timeout=3)
    # A burst of 4, plus what 20/s refills while 30 requests go out.
    assert 4 <= replies <= 8
    assert echo == b"ping"
    assert server.counters.rate_limited == 0
    assert "ports 39310 (1 socket)," in caplog.text
    assert "dropping SIP requests from 127.0.0.1" in caplog.text


def test_tcp_limit_per_source(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, "app.responder")
    server = Responder("127.0.0.1", [39320], rate=1000, burst=50, sip_port=39321)
    server.open()
    thread = threading.Thread(target=server.serve, daemon=True)
    thread.start()
    idle: list[socket.socket] = []
    try:
        for _ in range(6):
            sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            sock.bind(("127.0.0.2", 0))
            sock.settimeout(0.2)
            sock.connect(("127.0.0.1", 39321))
            idle.append(sock)
            time.sleep(0.05)
        # All reads end long before the mirror's 5 s TCP timeout.
        closed = []
        for sock in idle:
            try:
                closed.append(sock.recv(64) == b"")
            except TimeoutError:
                closed.append(False)
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as other:
            other.bind(("127.0.0.3", 0))
            other.settimeout(2.0)
            other.connect(("127.0.0.1", 39321))
            sent = build_request(
                "OPTIONS", "tcp", other.getsockname(), ("127.0.0.1", 39321)
            )
            other.sendall(sent.data)
            response = other.recv(65535)
    finally:
        for sock in idle:
            sock.close()
        server.stop()
        thread.join(timeout=3)
    assert closed == [False, False, False, False, True, True]
    assert response.startswith(b"SIP/2.0 200 OK")
    assert "127.0.0.2 has 4 connections open, the maximum per source" in caplog.text


_OUT_OF_FILES_SCRIPT = """
import logging, os, resource, sys, threading, time
sys.path.insert(0, {repo!r})
from app.responder.server import Responder
logging.basicConfig(level=logging.INFO, stream=sys.stderr)
server = Responder("127.0.0.1", [39330], rate=1000, burst=50, sip_port=39331)
server.open()
soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
highest = max(int(name) for name in os.listdir("/proc/self/fd"))
# No descriptor is free below the new limit: the next accept() fails with EMFILE.
for fd in range(highest):
    try:
        os.fstat(fd)
    except OSError:
        os.open(os.devnull, os.O_RDONLY)
resource.setrlimit(resource.RLIMIT_NOFILE, (highest + 1, hard))
def restore():
    time.sleep(2.5)
    resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))
    time.sleep(1.5)
    server.stop()
threading.Thread(target=restore, daemon=True).start()
print("ready", flush=True)
started = time.process_time()
server.serve()
print("cpu %.3f" % (time.process_time() - started), flush=True)
"""


def test_accept_out_of_files_pauses(tmp_path: Path) -> None:
    # A file, not a pipe, so that a flood of log lines cannot block the server.
    log_file = (tmp_path / "responder.log").open("w+")
    process = subprocess.Popen(
        [sys.executable, "-c", _OUT_OF_FILES_SCRIPT.format(repo=str(REPO))],
        stdout=subprocess.PIPE,
        stderr=log_file,
        text=True,
    )
    waiting: list[socket.socket] = []
    try:
        assert process.stdout is not None
        assert process.stdout.readline().strip() == "ready"
        for _ in range(3):
            sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            sock.bind(("127.0.0.2", 0))
            sock.connect(("127.0.0.1", 39331))
            waiting.append(sock)
        request = socket.create_connection(("127.0.0.1", 39331), timeout=5.0)
        waiting.append(request)
        sent = build_request(
            "OPTIONS", "tcp", request.getsockname(), ("127.0.0.1", 39331)
        )
        request.sendall(sent.data)
        time.sleep(0.5)
        echo = exchange(39330, b"ping")
        response = request.recv(65535)
        out, _ = process.communicate(timeout=10)
        log_file.seek(0)
        log = log_file.read()
    finally:
        log_file.close()
        for sock in waiting:
            sock.close()
        if process.poll() is None:
            process.kill()
            process.wait()
    cpu = float(out.split()[-1])
    # The limit is back after 2.5 s and the queued request is then answered.
    assert echo == b"ping"
    assert response.startswith(b"SIP/2.0 200 OK")
    assert log.count("Too many open files") == 1
    assert "failed TCP accept" in log
    assert cpu < 1.0
