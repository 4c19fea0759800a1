"""The stun, ice and chrome-ips checks against real coturn, loopback and namespaces."""

from __future__ import annotations

import asyncio
import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from app.core import remedy
from app.core.checks import Check
from app.core.checks.chrome import ChromeIpsCheck, parse_target
from app.core.checks.ice import IceCheck, looks_like_vpn
from app.core.checks.stun import StunCheck
from app.core.context import RunContext
from app.core.model import CheckSpec, Severity, Status
from app.core.profile import Profile, ProfileError
from app.core.runner import run_check
from tests.profiles import bare_profile
from tests.stunserver import Coturn, coturn, veth_namespaces

REPOSITORY = Path(__file__).resolve().parents[2]


def make_profile() -> Profile:
    return bare_profile()


def make_check(cls: type[Check], timeout_s: float, **params: Any) -> Check:
    spec = CheckSpec(
        id=cls.kind,
        kind=cls.kind,
        title=cls.kind,
        requirement="test",
        severity=Severity.REQUIRED,
        group="media",
        timeout_s=timeout_s,
        params=params,
    )
    return cls(spec, make_profile())


def make_context() -> RunContext:
    return RunContext(make_profile(), "acme")


@pytest.fixture(scope="module")
def stun_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Coturn]:
    with coturn(tmp_path_factory.mktemp("coturn")) as server:
        yield server


def closed_port(kind: int = socket.SOCK_DGRAM) -> int:
    with socket.socket(socket.AF_INET, kind) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class SilentUdp:
    """A bound UDP socket that never reads, so no response and no ICMP error come back."""

    def __enter__(self) -> int:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind(("127.0.0.1", 0))
        return self.sock.getsockname()[1]

    def __exit__(self, *exc: object) -> None:
        self.sock.close()


# stun


async def test_stun_udp_passes_with_mapped_address(stun_server: Coturn) -> None:
    check = make_check(
        StunCheck, 4, transport="udp", host="127.0.0.1", port=stun_server.port
    )
    outcome = await check.run(make_context())
    evidence = outcome.evidence
    assert outcome.status is Status.PASS
    assert evidence["server"] == f"127.0.0.1:{stun_server.port}"
    assert evidence["transport"] == "udp"
    assert evidence["mapped_address"] == evidence["local_address"]
    assert evidence["mapped_address"].startswith("127.0.0.1:")
    assert evidence["attempts"] == 1
    assert evidence["rtt_ms"] > 0
    assert evidence["other_address"] == f"127.0.0.2:{stun_server.alt_port}"
    assert json.dumps(evidence)


async def test_stun_tcp_passes_with_mapped_address(stun_server: Coturn) -> None:
    check = make_check(
        StunCheck, 4, transport="tcp", host="127.0.0.1", port=stun_server.port
    )
    outcome = await check.run(make_context())
    assert outcome.status is Status.PASS
    assert outcome.evidence["transport"] == "tcp"
    assert outcome.evidence["mapped_address"] == outcome.evidence["local_address"]


async def test_stun_udp_closed_port_reports_icmp() -> None:
    port = closed_port()
    check = make_check(StunCheck, 4, transport="udp", host="127.0.0.1", port=port)
    started = time.monotonic()
    outcome = await check.run(make_context())
    assert outcome.status is Status.FAIL
    assert time.monotonic() - started < 0.5
    assert "ICMP port unreachable" in outcome.summary
    assert outcome.evidence["error"] == "icmp-unreachable"
    assert f"UDP port {port}" in outcome.remedy
    assert "127.0.0.1" in outcome.remedy


async def test_stun_udp_silence_fails_within_timeout() -> None:
    with SilentUdp() as port:
        check = make_check(StunCheck, 2, transport="udp", host="127.0.0.1", port=port)
        result = await run_check(check, make_context())
    assert result.status is Status.FAIL
    assert result.duration_s < 2
    assert result.evidence["attempts"] == 3
    assert result.remedy == remedy.allow("UDP", port, "127.0.0.1", "STUN")


async def test_stun_tcp_refused_names_tcp_port() -> None:
    port = closed_port(socket.SOCK_STREAM)
    check = make_check(StunCheck, 2, transport="tcp", host="127.0.0.1", port=port)
    outcome = await check.run(make_context())
    assert outcome.status is Status.FAIL
    assert outcome.evidence["error"] == "refused"
    assert outcome.evidence["transport"] == "tcp"
    assert outcome.remedy == remedy.allow("TCP", port, "127.0.0.1", "STUN")


def test_stun_rejects_unknown_transport() -> None:
    with pytest.raises(ProfileError, match="must be udp or tcp"):
        make_check(StunCheck, 4, transport="sctp", host="127.0.0.1", port=3478)


def test_stun_lists_its_host() -> None:
    check = make_check(StunCheck, 4, transport="udp", host="stun.ucontact.test")
    assert check.hosts() == ["stun.ucontact.test"]


# chrome-ips


async def test_chrome_ips_pass_when_all_answer(stun_server: Coturn) -> None:
    server = await asyncio.start_server(lambda r, w: w.close(), "127.0.0.1", 0)
    tcp_port = server.sockets[0].getsockname()[1]
    try:
        check = make_check(
            ChromeIpsCheck,
            4,
            tcp_targets=[f"127.0.0.1:{tcp_port}"],
            stun_targets=[f"127.0.0.1:{stun_server.port}"],
        )
        outcome = await check.run(make_context())
    finally:
        server.close()
    assert outcome.status is Status.PASS
    assert outcome.evidence["tcp"][f"127.0.0.1:{tcp_port}"]["ok"] is True
    stun = outcome.evidence["stun"][f"127.0.0.1:{stun_server.port}"]
    assert stun["mapped_address"].startswith("127.0.0.1:")
    assert json.dumps(outcome.evidence)


async def test_chrome_ips_fail_names_each_target() -> None:
    tcp_port = closed_port(socket.SOCK_STREAM)
    with SilentUdp() as silent_a, SilentUdp() as silent_b:
        check = make_check(
            ChromeIpsCheck,
            2,
            tcp_targets=[f"127.0.0.1:{tcp_port}"],
            stun_targets=[f"127.0.0.1:{silent_a}", f"127.0.0.1:{silent_b}"],
        )
        started = time.monotonic()
        result = await run_check(check, make_context())
        elapsed = time.monotonic() - started
    assert result.status is Status.FAIL
    # Two silent targets of 1.8 s each finish together when run concurrently.
    assert elapsed < 2
    assert remedy.allow("TCP", tcp_port, "127.0.0.1", "Chrome") in result.remedy
    assert remedy.allow("UDP", silent_a, "127.0.0.1", "STUN") in result.remedy
    assert remedy.allow("UDP", silent_b, "127.0.0.1", "STUN") in result.remedy
    assert result.evidence["tcp"][f"127.0.0.1:{tcp_port}"]["error"] == "refused"
    assert result.evidence["stun"][f"127.0.0.1:{silent_a}"]["error"] == "timeout"


def test_chrome_target_parsing() -> None:
    assert parse_target("74.125.134.127:19302").port == 19302
    assert parse_target("[2001:db8::1]:443").host == "2001:db8::1"
    with pytest.raises(ValueError):
        parse_target("2001:db8::1:443")
    with pytest.raises(ValueError):
        parse_target("192.0.2.1")


def test_chrome_rejects_invalid_target() -> None:
    with pytest.raises(ProfileError, match="tcp_targets"):
        make_check(ChromeIpsCheck, 4, tcp_targets=["192.0.2.1:99999"])


# ice


@pytest.mark.parametrize(
    ("name", "vpn"),
    [
        ("wg0", True),
        ("tun0", True),
        ("utun3", True),
        ("ppp0", True),
        ("FortiClient Virtual Adapter", True),
        ("Zscaler Network Adapter", True),
        ("Cisco AnyConnect", True),
        ("PANGP GlobalProtect", True),
        ("MyVPN", True),
        ("eth0", False),
        ("Wi-Fi", False),
        ("enp3s0", False),
        ("Ethernet 2", False),
    ],
)
def test_vpn_adapter_names(name: str, vpn: bool) -> None:
    assert looks_like_vpn(name) is vpn


# The ICE check runs inside a namespace of the test's own, because aioice skips
# 127.0.0.1 and would otherwise gather on this machine's real interfaces.
ICE_SCRIPT = """
import asyncio, json, os, sys
from pathlib import Path
from app.core.checks.ice import IceCheck
from app.core.context import RunContext
from app.core.model import CheckSpec, Severity
from app.core.profile import Profile

def sockets():
    count = 0
    for fd in os.listdir("/proc/self/fd"):
        try:
            count += os.readlink(f"/proc/self/fd/{fd}").startswith("socket:")
        except OSError:
            pass
    return count

async def main(port, cancel_after):
    profile = Profile("t", Path("t.toml"), "", "{instance}.test", 4, 12, 2, (), (), ())
    spec = CheckSpec("ice", "ice", "ice", "r", Severity.REQUIRED, "media", 8,
                     {"stun_host": "198.51.100.21", "stun_port": port})
    check = IceCheck(spec, profile)
    before = sockets()
    errors = []
    asyncio.get_running_loop().set_exception_handler(
        lambda loop, context: errors.append(context.get("message")))
    task = asyncio.create_task(check.run(RunContext(profile, "acme")))
    if cancel_after:
        await asyncio.sleep(cancel_after)
        task.cancel()
        try:
            await task
        except asyncio.CancelledError:
            pass
        # Past aioice's next retransmissions, which must not fire after the close.
        await asyncio.sleep(2.5)
        leftover = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
        print(json.dumps({"before": before, "after": sockets(),
                          "tasks": len(leftover), "loop_errors": errors}))
        return
    outcome = await task
    print(json.dumps({"status": outcome.status.value, "summary": outcome.summary,
                      "remedy": outcome.remedy, "evidence": outcome.evidence}))

asyncio.run(main(int(sys.argv[1]), float(sys.argv[2])))
"""


def run_ice_in(namespace: str, port: int, cancel_after: float = 0) -> dict[str, Any]:
    completed = subprocess.run(
        [
            "ip",
            "netns",
            "exec",
            namespace,
            sys.executable,
            "-c",
            ICE_SCRIPT,
            str(port),
            str(cancel_after),
        ],
        capture_output=True,
        check=False,
        text=True,
        timeout=30,
        cwd=REPOSITORY,
        env={**os.environ, "PYTHONPATH": str(REPOSITORY)},
    )
    assert completed.returncode == 0, completed.stderr
    return json.loads(completed.stdout.strip().splitlines()[-1])


@pytest.fixture
def ice_lab(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    interface = getattr(request, "param", "lan0")
    addresses = ("198.51.100.21", "198.51.100.22")
    with (
        veth_namespaces(f"unst{os.getpid()}", interface) as (agent, server),
        coturn(tmp_path, addresses, 3478, server),
    ):
        yield agent


def test_ice_finds_server_reflexive_candidate(ice_lab: str) -> None:
    result = run_ice_in(ice_lab, 3478)
    evidence = result["evidence"]
    srflx = [c for c in evidence["candidates"] if c["type"] == "srflx"]
    host = [c for c in evidence["candidates"] if c["type"] == "host"]
    assert result["status"] == "pass"
    assert evidence["server_reflexive"] is True
    assert srflx[0]["address"] == "198.51.100.2"
    assert srflx[0]["interface"] == "lan0"
    assert srflx[0]["protocol"] == "udp"
    assert {c["address"] for c in host} == {"198.51.100.2"}
    assert host[0]["interface"] == "lan0"
    assert evidence["vpn_interfaces"] == []
    assert evidence["route_interface"] == "lan0"
    assert evidence["gather_ms"] < 2000


@pytest.mark.parametrize("ice_lab", ["wg0"], indirect=True)
def test_ice_warns_when_vpn_carries_candidates(ice_lab: str) -> None:
    result = run_ice_in(ice_lab, 3478)
    evidence = result["evidence"]
    assert result["status"] == "warn"
    assert evidence["server_reflexive"] is True
    assert evidence["vpn_interfaces"] == ["wg0"]
    assert evidence["route_interface"] == "wg0"
    assert "may be routed through the VPN" in result["summary"]
    assert "wg0" in result["summary"]
    assert "UDP port 3478" in result["remedy"]


def test_ice_fails_without_stun_answer(ice_lab: str) -> None:
    # Nothing listens on 3490 in the server namespace (coturn takes 3478 and 3479),
    # so the requests get ICMP errors, which aioice ignores until its 5 s wait ends.
    result = run_ice_in(ice_lab, 3490)
    evidence = result["evidence"]
    assert result["status"] == "fail"
    assert evidence["server_reflexive"] is False
    assert [c["type"] for c in evidence["candidates"]] == ["host"]
    assert 4500 < evidence["gather_ms"] < 6500
    assert result["remedy"] == remedy.allow("UDP", 3490, "198.51.100.21", "STUN")


def test_ice_closes_sockets_on_cancel(ice_lab: str) -> None:
    result = run_ice_in(ice_lab, 3490, cancel_after=1.0)
    assert result["after"] == result["before"]
    assert result["tasks"] == 0
    assert result["loop_errors"] == []


async def test_ice_rejects_ipv6_only_server() -> None:
    check = make_check(IceCheck, 8, stun_host="::1", stun_port=3478)
    outcome = await check.run(make_context())
    assert outcome.status is Status.FAIL
    assert "no IPv4 address" in outcome.summary
    assert "::1" in outcome.remedy
