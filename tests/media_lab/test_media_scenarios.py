"""Media-path scenarios in the namespace lab, each asserting statuses and remedies."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.media_lab.medialab import (
    INSTANCE_IP,
    MediaLab,
    checks_by_id,
    write_profile,
)

pytestmark = pytest.mark.lab

UDP_CHECKS = ["rtp-range", "udp-8089", "udp-443"]
ROUTER_LAN_IP = "192.168.50.1"


def test_healthy_with_responder_all_green(lab: MediaLab, profile_path: Path) -> None:
    write_profile(profile_path, [*UDP_CHECKS, "nat", "quality", "ips"])
    report = lab.run_product(profile_path)
    checks = checks_by_id(report)
    for check_id in (*UDP_CHECKS, "nat", "quality", "ips"):
        assert checks[check_id]["status"] == "pass", checks[check_id]
    assert report["exit_code"] == 0
    assert checks["rtp-range"]["evidence"]["counts"] == {"open": 64}
    assert checks["udp-443"]["evidence"]["quic_cid_echoed"] is True
    assert checks["udp-8089"]["evidence"]["observed"].startswith("198.51.100.1:")
    assert checks["quality"]["evidence"]["stream"] == "rtp"
    assert checks["quality"]["evidence"]["loss_percent"] == 0
    ips = checks["ips"]["evidence"]
    assert ips["finding"] == "pass"
    assert ips["rtp"]["received"] == ips["rtp"]["sent"] == 400
    assert ips["control"]["received"] == ips["control"]["sent"] == 400
    # quality reads the same RTP stream as ips, not a second one.
    assert checks["quality"]["evidence"]["sent"] == ips["rtp"]["sent"]
    assert checks["nat"]["evidence"]["alternate_source"] == "OTHER-ADDRESS"
    assert checks["nat"]["evidence"]["mapping"] == "endpoint-independent"
    # Linux conntrack passes only responses from the address and port it contacted.
    assert checks["nat"]["evidence"]["filtering"] == "address-and-port-dependent"


def test_all_rtp_dropped_is_red(lab: MediaLab, profile_path: Path) -> None:
    lab.set_firewall(["udp dport 10000-20000 drop"])
    write_profile(profile_path, ["rtp-range", "udp-8089"])
    checks = checks_by_id(lab.run_product(profile_path))
    rtp = checks["rtp-range"]
    assert rtp["status"] == "fail"
    assert rtp["evidence"]["blocked_ranges"] == ["10000-20000"]
    assert rtp["evidence"]["responder_present"] is True
    assert "silently dropped" in rtp["summary"]
    assert "UDP port 10000-20000" in rtp["remedy"]
    assert INSTANCE_IP in rtp["remedy"]
    assert checks["udp-8089"]["status"] == "pass"


def test_upper_subrange_dropped_is_named(lab: MediaLab, profile_path: Path) -> None:
    lab.set_firewall(["udp dport 15000-20000 drop"])
    write_profile(profile_path, ["rtp-range", "udp-8089"])
    rtp = checks_by_id(lab.run_product(profile_path))["rtp-range"]
    assert rtp["status"] == "fail"
    assert rtp["evidence"]["blocked_ranges"] == ["15000-20000"]
    assert "UDP port 15000-20000" in rtp["remedy"]
    assert "UDP 15000-20000 is blocked" in rtp["summary"]


def test_rejecting_firewall_told_from_dropping(
    lab: MediaLab, profile_path: Path
) -> None:
    write_profile(profile_path, ["rtp-range", "udp-8089"])

    # nft's plain reject sends ICMP port-unreachable from the router, which looks
    # like "nothing listens" unless the sender of the ICMP error is checked.
    lab.set_firewall(["udp dport 10000-20000 reject"])
    rejected = checks_by_id(lab.run_product(profile_path))["rtp-range"]
    lab.set_firewall(["udp dport 10000-20000 drop"])
    dropped = checks_by_id(lab.run_product(profile_path))["rtp-range"]

    # The router rate-limits its ICMP errors too, so only part of the ports carry
    # one; the rest are silent while the responder answers on UDP 8089.
    assert rejected["status"] == "fail"
    assert rejected["evidence"]["icmp_from"] == [ROUTER_LAN_IP]
    assert rejected["evidence"]["counts"]["rejected"] >= 1
    assert rejected["evidence"]["blocked_ranges"] == ["10000-20000"]
    assert f"rejected with ICMP from {ROUTER_LAN_IP}" in rejected["summary"]
    assert dropped["status"] == "fail"
    assert dropped["evidence"]["icmp_from"] == []
    assert "rejected" not in dropped["evidence"]["counts"]
    assert dropped["evidence"]["silent_ranges"] == ["10000-20000"]
    assert "silently dropped" in dropped["summary"]


def test_admin_prohibited_reject_is_red(lab: MediaLab, profile_path: Path) -> None:
    lab.set_firewall(["udp dport 8089 reject with icmp type admin-prohibited"])
    write_profile(profile_path, ["udp-8089"])
    probe = checks_by_id(lab.run_product(profile_path))["udp-8089"]
    assert probe["status"] == "fail"
    assert probe["evidence"]["icmp"] == "admin-prohibited"
    assert "UDP port 8089" in probe["remedy"]


def test_no_responder_is_grey(lab: MediaLab, profile_path: Path) -> None:
    lab.stop_responder()
    # The target's own ICMP port-unreachable proves an open path, so the cloud drops
    # those errors here: every port is silent, as behind a cloud firewall.
    lab.set_firewall(["ip saddr 198.51.100.20 icmp type destination-unreachable drop"])
    write_profile(profile_path, UDP_CHECKS)
    report = lab.run_product(profile_path)
    checks = checks_by_id(report)
    for check_id in UDP_CHECKS:
        assert checks[check_id]["status"] == "unknown", checks[check_id]
        assert INSTANCE_IP in checks[check_id]["remedy"]
        assert "UDP" in checks[check_id]["remedy"]
    assert checks["rtp-range"]["evidence"]["responder_present"] is False
    assert report["exit_code"] == 1


def test_no_responder_icmp_from_target(lab: MediaLab, profile_path: Path) -> None:
    lab.stop_responder()
    write_profile(profile_path, ["rtp-range"])
    rtp = checks_by_id(lab.run_product(profile_path))["rtp-range"]
    # The kernel rate-limits ICMP, so only some ports get an answer: still grey.
    assert rtp["status"] == "unknown"
    assert rtp["evidence"]["counts"].get("closed", 0) >= 1
    assert rtp["evidence"]["counts"].get("silent", 0) >= 1
    assert rtp["evidence"]["icmp_from"] == [INSTANCE_IP]

    # Alone, UDP 8089 gets the server's own port-unreachable: an open path.
    write_profile(profile_path, ["udp-8089"])
    probe = checks_by_id(lab.run_product(profile_path))["udp-8089"]
    assert probe["status"] == "pass"
    assert probe["evidence"]["state"] == "closed"
    assert probe["evidence"]["icmp_from"] == INSTANCE_IP


def test_random_loss_degrades_quality(lab: MediaLab, profile_path: Path) -> None:
    lab.set_firewall(["udp dport 10000-20000 numgen random mod 100 lt 5 drop"])
    write_profile(profile_path, ["quality", "ips"])
    checks = checks_by_id(lab.run_product(profile_path))
    quality = checks["quality"]
    assert quality["status"] in ("warn", "fail")
    assert quality["evidence"]["stream"] == "rtp"
    assert 1 <= quality["evidence"]["loss_percent"] <= 12
    assert quality["evidence"]["grades"]["loss"] != "pass"
    assert "UDP port 10000" in quality["remedy"]
    # Random loss hits RTP and random packets alike, so it is no IPS.
    ips = checks["ips"]
    assert ips["status"] == "pass", ips["summary"]
    assert 1 <= ips["evidence"]["rtp"]["loss_percent"] <= 12
    assert 1 <= ips["evidence"]["control"]["loss_percent"] <= 12


def test_stream_cut_after_300_packets(lab: MediaLab, profile_path: Path) -> None:
    lab.set_firewall(["udp dport 10000 ct original packets > 300 drop"])
    write_profile(profile_path, ["quality", "ips"])
    report = lab.run_product(profile_path)
    checks = checks_by_id(report)
    quality = checks["quality"]
    # quality is a recommended check: a measured fail shows yellow.
    assert quality["status"] == "warn"
    assert quality["evidence"]["measured_status"] == "fail"
    assert 5.5 <= quality["evidence"]["stopped_after_s"] <= 6.5
    assert "stopped after about 6" in quality["summary"]
    assert "UDP port 10000" in quality["remedy"]
    # Each stream is its own conntrack flow, so the rule cuts both: the required ips
    # check makes the run red.
    ips = checks["ips"]
    assert ips["status"] == "fail"
    assert ips["evidence"]["finding"] == "both-cut"
    assert 5.5 <= ips["evidence"]["rtp"]["stopped_after_s"] <= 6.5
    assert 5.5 <= ips["evidence"]["control"]["stopped_after_s"] <= 6.5
    assert "stopped after about 6 s (300 packets)" in ips["summary"]
    assert "session or packet-count limit" in ips["summary"]
    assert "UDP port 10000" in ips["remedy"]
    assert INSTANCE_IP in ips["remedy"]
    assert report["exit_code"] == 2


# The first payload byte of RTP carries version 2 in its top two bits (0x80-0xBF),
# which an IPS matches. The control stream's first byte is 4-15.
RTP_VERSION_2 = "udp dport 10000 @th,64,2 2"


def test_ips_dropping_rtp_only(lab: MediaLab, profile_path: Path) -> None:
    lab.set_firewall([f"{RTP_VERSION_2} numgen random mod 100 lt 30 drop"])
    write_profile(profile_path, ["ips"])
    ips = checks_by_id(lab.run_product(profile_path))["ips"]
    assert ips["status"] == "fail"
    assert ips["evidence"]["finding"] == "rtp-loss"
    assert 20 <= ips["evidence"]["rtp"]["loss_percent"] <= 40
    assert ips["evidence"]["control"]["loss_percent"] == 0
    assert "RTP-shaped packets were dropped more than random ones" in ips["summary"]
    assert "SIP/RTP (VoIP) signatures" in ips["remedy"]
    assert "UDP port 10000" in ips["remedy"]
    assert INSTANCE_IP in ips["remedy"]


def test_ips_cutting_rtp_only(lab: MediaLab, profile_path: Path) -> None:
    lab.set_firewall([f"{RTP_VERSION_2} ct original packets > 300 drop"])
    write_profile(profile_path, ["quality", "ips"])
    checks = checks_by_id(lab.run_product(profile_path))
    ips = checks["ips"]
    assert ips["status"] == "fail"
    assert ips["evidence"]["finding"] == "rtp-cut"
    assert 5.5 <= ips["evidence"]["rtp"]["stopped_after_s"] <= 6.5
    assert ips["evidence"]["control"]["stopped_after_s"] is None
    assert ips["evidence"]["control"]["loss_percent"] == 0
    assert "cut the voice (RTP) stream" in ips["summary"]
    assert "while random packets of the same size passed" in ips["summary"]
    assert "SIP/RTP (VoIP) signatures" in ips["remedy"]
    assert checks["quality"]["evidence"]["stopped_after_packets"] == 300


def test_no_responder_ips_is_grey(lab: MediaLab, profile_path: Path) -> None:
    lab.stop_responder()
    write_profile(profile_path, ["quality", "ips"])
    checks = checks_by_id(lab.run_product(profile_path))
    ips = checks["ips"]
    assert ips["status"] == "unknown"
    assert ips["evidence"]["stream"] == "stun"
    assert ips["evidence"]["stun"]["stopped_after_s"] is None
    assert (
        "needs the responder to compare voice with random packets" in (ips["summary"])
    )
    assert INSTANCE_IP in ips["remedy"]
    assert "UDP port 10000" in ips["remedy"]
    # quality measured the same STUN stream.
    assert checks["quality"]["evidence"]["stream"] == "stun"
    assert checks["quality"]["evidence"]["sent"] == ips["evidence"]["stun"]["sent"]


def test_no_responder_stun_stream_cut(lab: MediaLab, profile_path: Path) -> None:
    lab.stop_responder()
    lab.set_firewall(["udp dport 3478 ct original packets > 300 drop"])
    write_profile(profile_path, ["ips"])
    ips = checks_by_id(lab.run_product(profile_path))["ips"]
    assert ips["status"] == "fail"
    assert ips["evidence"]["finding"] == "both-cut"
    assert 5.5 <= ips["evidence"]["stun"]["stopped_after_s"] <= 6.5
    assert "stopped after about 6 s" in ips["summary"]
    assert "voice could not be compared" in ips["summary"]
    assert "UDP port 3478" in ips["remedy"]
    assert INSTANCE_IP in ips["remedy"]


def test_symmetric_nat_warns(lab: MediaLab, profile_path: Path) -> None:
    lab.set_masquerade("random")
    write_profile(profile_path, ["nat"])
    nat = checks_by_id(lab.run_product(profile_path))["nat"]
    assert nat["status"] == "warn"
    assert nat["evidence"]["mapping"] == "address-and-port-dependent"
    assert "symmetric" in nat["summary"].lower()
    assert "UDP" in nat["remedy"]
