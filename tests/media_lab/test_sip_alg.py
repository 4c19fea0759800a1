"""The sip-alg check through the lab router: plain NAT, Linux's SIP ALG, no mirror."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.lab.netns import ROUTER_PUBLIC_IP
from tests.media_lab.medialab import (
    INSTANCE_IP,
    MediaLab,
    checks_by_id,
    write_profile,
)

AGENT_IP = "192.168.50.2"


@pytest.fixture
def sip_lab(lab: MediaLab) -> Iterator[MediaLab]:
    """The healthy lab with no connection tracking entry left by earlier scenarios."""
    lab.flush_conntrack()
    yield lab
    lab.flush_conntrack()


def test_plain_nat_passes(sip_lab: MediaLab, profile_path: Path) -> None:
    write_profile(profile_path, ["sip-alg"])
    report = sip_lab.run_product(profile_path)
    check = checks_by_id(report)["sip-alg"]
    assert check["status"] == "pass", check["summary"]
    evidence = check["evidence"]
    assert evidence["udp_from_port_5060"] is True
    exchanges = evidence["exchanges"]
    assert [(e["transport"], e["method"]) for e in exchanges] == [
        ("udp", "OPTIONS"),
        ("udp", "INVITE"),
        ("tcp", "OPTIONS"),
        ("tcp", "INVITE"),
    ]
    for exchange in exchanges:
        assert exchange["identical"] is True, exchange
        assert exchange["local"].startswith(f"{AGENT_IP}:"), exchange
        # The responder saw the router's public address: the path has NAT.
        assert exchange["observed"].startswith(f"{ROUTER_PUBLIC_IP}:"), exchange
    assert "SIP over WSS" in check["summary"]
    assert report["exit_code"] == 0


def test_linux_sip_alg_fails(sip_lab: MediaLab, profile_path: Path) -> None:
    sip_lab.set_sip_alg()
    write_profile(profile_path, ["sip-alg"])
    report = sip_lab.run_product(profile_path)
    check = checks_by_id(report)["sip-alg"]
    assert check["status"] == "fail", check["summary"]
    rewritten = check["evidence"]["rewritten"]
    for field in ("Via", "From", "Contact", "SDP c=", "SDP o="):
        assert field in rewritten, rewritten
    assert "A SIP ALG on the path rewrote Via" in check["summary"]
    assert f"sent 'SIP/2.0/UDP {AGENT_IP}:5060" in check["summary"]
    assert f"arrived 'SIP/2.0/UDP {ROUTER_PUBLIC_IP}:5060" in check["summary"]
    exchanges = {
        (e["transport"], e["method"]): e for e in check["evidence"]["exchanges"]
    }
    # The helper sits on UDP only here, so TCP arrives unchanged.
    assert exchanges[("tcp", "OPTIONS")]["identical"] is True
    assert exchanges[("tcp", "INVITE")]["identical"] is True
    invite = exchanges[("udp", "INVITE")]
    sdp = {d["field"]: d for d in invite["differences"]}
    assert sdp["SDP c="]["sent"] == f"IN IP4 {AGENT_IP}"
    assert sdp["SDP c="]["arrived"] == f"IN IP4 {ROUTER_PUBLIC_IP}"
    remedy = check["remedy"]
    assert "Disable SIP ALG" in remedy
    assert "SIP helper" in remedy
    assert INSTANCE_IP in remedy
    assert "UDP port 5060" in remedy
    assert report["exit_code"] == 2


def test_linux_sip_alg_on_tcp_fails(sip_lab: MediaLab, profile_path: Path) -> None:
    sip_lab.set_sip_alg(("udp", "tcp"))
    write_profile(profile_path, ["sip-alg"])
    check = checks_by_id(sip_lab.run_product(profile_path))["sip-alg"]
    assert check["status"] == "fail", check["summary"]
    exchanges = {
        (e["transport"], e["method"]): e for e in check["evidence"]["exchanges"]
    }
    assert exchanges[("tcp", "OPTIONS")]["identical"] is False
    assert "UDP and TCP port 5060" in check["remedy"]
    assert INSTANCE_IP in check["remedy"]


def test_no_sip_mirror_is_unknown(sip_lab: MediaLab, profile_path: Path) -> None:
    sip_lab.stop_responder()
    sip_lab.start_responder(sip=False)
    try:
        write_profile(profile_path, ["sip-alg"])
        report = sip_lab.run_product(profile_path)
    finally:
        sip_lab.stop_responder()
    check = checks_by_id(report)["sip-alg"]
    assert check["status"] == "unknown", check["summary"]
    summary = check["summary"]
    assert f"No responder answered on UDP/TCP 5060 at {INSTANCE_IP}" in summary
    assert "SIP ALG could not be tested" in summary
    # Nothing listens on 5060 in the cloud: ICMP for UDP and a reset for TCP.
    states = {(e["transport"], e["state"]) for e in check["evidence"]["exchanges"]}
    assert states == {("udp", "refused"), ("tcp", "no-connection")}
    remedy = check["remedy"]
    assert "responder" in remedy
    assert INSTANCE_IP in remedy
    assert "UDP and TCP port 5060" in remedy
    assert report["exit_code"] == 1
