"""RTP range sampling, sub-range naming and the sweep against a loopback responder."""

from __future__ import annotations

import itertools
import random
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.core import probe_token, udpsweep
from app.core.checks import build_checks
from app.core.checks.rtp import bad_ranges, refinement_ports, sample_ports
from app.core.context import RunContext
from app.core.model import Status
from app.core.profile import load_profile
from app.responder.server import Responder

LOW, HIGH = 39400, 39499
SILENT = udpsweep.SILENT
OPEN = udpsweep.OPEN


def test_sample_has_both_ends() -> None:
    ports = sample_ports(10000, 20000, 64, random.Random(1))
    assert ports[0] == 10000
    assert ports[-1] == 20000


def test_sample_size_and_bounds() -> None:
    ports = sample_ports(10000, 20000, 64, random.Random(2))
    assert len(ports) == 64
    assert all(10000 <= port <= 20000 for port in ports)


def test_sample_stride_bounds_gaps() -> None:
    ports = sample_ports(10000, 20000, 64, random.Random(3))
    gaps = [right - left for left, right in itertools.pairwise(ports)]
    # 46 stride ports split 10,000 ports into 47 gaps of about 213.
    assert max(gaps) <= 214


def test_sample_of_small_range_is_whole_range() -> None:
    assert sample_ports(5, 9, 64, random.Random(0)) == [5, 6, 7, 8, 9]


def test_refinement_fills_only_changing_gaps() -> None:
    states = {100: OPEN, 110: OPEN, 120: SILENT, 130: SILENT}
    assert refinement_ports(states, {SILENT}) == list(range(111, 120))


def test_bad_ranges_are_runs_of_probed_ports() -> None:
    states = {1: SILENT, 2: SILENT, 3: OPEN, 4: SILENT, 5: OPEN}
    assert bad_ranges(states, {SILENT}) == [(1, 2), (4, 4)]


def test_describe_ranges() -> None:
    runs = udpsweep.port_ranges([15000, 15001, 15002, 17000])
    assert udpsweep.describe_ranges(runs) == "15000-15002, 17000"


@pytest.fixture
def responder() -> Iterator[Responder]:
    # Ports LOW..LOW+49 answer; LOW+50..HIGH have nothing listening.
    server = Responder(
        "127.0.0.1", list(range(LOW, LOW + 50)), rate=100000, burst=100000
    )
    server.open()
    thread = threading.Thread(target=server.serve, daemon=True)
    thread.start()
    yield server
    server.stop()
    thread.join(timeout=3)


async def test_sweep_tells_open_from_closed(responder: Responder) -> None:
    payload = probe_token.encode_probe(probe_token.new_token())
    plan = udpsweep.SweepPlan(rate_pps=0, wait_s=0.3, retries=0, deadline_s=3)
    result = await udpsweep.sweep("127.0.0.1", range(LOW, HIGH + 1), payload, plan)
    assert result.with_state(OPEN) == list(range(LOW, LOW + 50))
    closed = result.with_state(udpsweep.CLOSED)
    # ICMP errors are rate-limited by the kernel, so some unbound ports stay silent.
    assert closed
    assert all(port >= LOW + 50 for port in closed)
    assert all(result.ports[port].icmp_from == "127.0.0.1" for port in closed)


async def test_sweep_of_silent_port_ends_at_deadline() -> None:
    payload = probe_token.encode_probe(probe_token.new_token())
    plan = udpsweep.SweepPlan(rate_pps=0, wait_s=5, retries=3, deadline_s=0.5)
    # A bound socket that never reads: no reply and no ICMP error, only silence.
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as mute:
        mute.bind(("127.0.0.1", 0))
        port = mute.getsockname()[1]
        result = await udpsweep.sweep("127.0.0.1", [port], payload, plan)
    assert result.ports[port].state == SILENT
    assert result.elapsed_s < 1.0


def _profile(tmp_path: Path, mode: str, low: int, high: int) -> Path:
    path = tmp_path / "profile.toml"
    path.write_text(f"""
[profile]
name = "loopback"
instance_host = "{{instance}}.example.test"

[thresholds]
rtt_ms = [150, 400]
jitter_ms = [30, 50]
loss_percent = [1, 3]
mos = [3.8, 3.1]

[[check]]
id = "rtp-range"
kind = "rtp-range"
group = "media"
title = "RTP"
requirement = "UDP range"
timeout_s = 6
host = "127.0.0.1"
responder = "127.0.0.1"
presence_port = {LOW}
low_port = {low}
high_port = {high}
mode = "{mode}"
sample_size = 16
sample_rate_pps = 1000
full_rate_pps = 100000
wait_s = 0.3
retries = 1
""")
    return path


async def test_check_passes_on_answered_range(
    responder: Responder, tmp_path: Path
) -> None:
    profile = load_profile(_profile(tmp_path, "full", LOW, LOW + 49))
    check = build_checks(profile, "acme")[0]
    outcome = await check.run(RunContext(profile, "acme"))
    assert outcome.status is Status.PASS
    assert outcome.evidence["counts"] == {"open": 50}


async def test_check_without_answers_is_not_green(tmp_path: Path) -> None:
    # Nothing listens anywhere and the presence port is silent too.
    profile = load_profile(_profile(tmp_path, "full", LOW, HIGH))
    check = build_checks(profile, "acme")[0]
    outcome = await check.run(RunContext(profile, "acme"))
    assert outcome.status is Status.UNKNOWN
    assert outcome.evidence["responder_present"] is False
    assert "127.0.0.1" in outcome.remedy
