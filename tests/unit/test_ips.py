"""IPS check: verdict rules, the control packets, and both streams on loopback."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from aioice import stun

from app.core import mediastream, probe_token, quic
from app.core.checks import build_checks
from app.core.checks.ips import Finding, IpsCheck, LossRule, StreamFigures, compare
from app.core.context import RunContext
from app.core.paths import builtin_profile_path
from app.core.profile import load_profile
from app.core.runner import run_checks
from app.responder import cli as responder_cli
from app.responder.ratelimit import SourceRateLimiter
from app.responder.server import Responder, build_reply

RULE = LossRule(margin_points=5, ratio=2)
RESPONDER_PORT = 39120


def figures(
    loss: float = 0.0,
    received: int | None = None,
    stopped_after_s: float | None = None,
) -> StreamFigures:
    sent = 500
    if received is None:
        received = round(sent * (1 - loss / 100))
    return StreamFigures(
        sent=sent,
        received=received,
        loss_percent=loss,
        longest_loss_burst=0,
        stopped_after_s=stopped_after_s,
        stopped_after_packets=None if stopped_after_s is None else 300,
    )


# compare(): one case per rule and per boundary of the loss rule.


@pytest.mark.parametrize(
    ("rtp", "control", "expected"),
    [
        (figures(), figures(), Finding.PASS),
        (figures(40, stopped_after_s=6.0), figures(), Finding.RTP_CUT),
        (
            figures(40, stopped_after_s=6.0),
            figures(40, stopped_after_s=6.0),
            Finding.BOTH_CUT,
        ),
        (figures(40, stopped_after_s=6.0), figures(100, received=0), Finding.BOTH_CUT),
        (figures(100, received=0), figures(), Finding.RTP_LOSS),
        (figures(100, received=0), figures(90), Finding.RTP_LOSS),
        (figures(100, received=0), figures(100, received=0), Finding.NO_ECHO),
        (figures(), figures(40, stopped_after_s=6.0), Finding.PASS),
        (figures(), figures(100, received=0), Finding.PASS),
    ],
    ids=[
        "both-clean",
        "rtp-cut",
        "both-cut",
        "rtp-cut-control-silent",
        "rtp-silent",
        "rtp-silent-control-lossy",
        "both-silent",
        "control-cut",
        "control-silent",
    ],
)
def test_compare_streams(
    rtp: StreamFigures, control: StreamFigures, expected: Finding
) -> None:
    assert compare(rtp, control, RULE) is expected


@pytest.mark.parametrize(
    ("rtp_loss", "control_loss", "expected"),
    [
        (5.0, 0.0, Finding.RTP_LOSS),  # 5 points, control lossless
        (4.9, 0.0, Finding.PASS),  # below the margin
        (10.0, 5.0, Finding.RTP_LOSS),  # 5 points and twice the control
        (12.0, 7.0, Finding.PASS),  # 5 points but less than twice
        (5.4, 4.6, Finding.PASS),  # random loss hitting both alike
        (30.0, 2.0, Finding.RTP_LOSS),
    ],
)
def test_loss_rule_boundaries(
    rtp_loss: float, control_loss: float, expected: Finding
) -> None:
    assert compare(figures(rtp_loss), figures(control_loss), RULE) is expected


def test_loss_rule_follows_profile_numbers() -> None:
    strict = LossRule(margin_points=2, ratio=1.5)
    assert compare(figures(6.0), figures(3.0), strict) is Finding.RTP_LOSS
    assert compare(figures(6.0), figures(3.0), RULE) is Finding.PASS


def stats_received(sent: int, received: set[int]) -> mediastream.StreamStats:
    stats = mediastream.StreamStats(sent=sent, received=len(received))
    stats.send_times = [i * 0.02 for i in range(sent)]
    stats.arrivals = {i: i * 0.02 + 0.01 for i in received}
    return stats


def test_figures_of_a_cut_stream() -> None:
    stop = StreamFigures.from_stats(stats_received(500, set(range(300))), 50)
    assert stop.stopped_after_s == 6.0
    assert stop.stopped_after_packets == 300
    assert stop.loss_percent == 40.0
    assert stop.longest_loss_burst == 200


def test_figures_of_a_lossy_stream() -> None:
    received = {i for i in range(500) if i % 20}
    lossy = StreamFigures.from_stats(stats_received(500, received), 50)
    assert lossy.stopped is False
    assert lossy.loss_percent == 5.0
    assert lossy.longest_loss_burst == 1


def test_figures_of_a_silent_stream() -> None:
    silent = StreamFigures.from_stats(stats_received(500, set()), 50)
    assert silent.silent is True
    assert silent.stopped is False
    assert silent.loss_percent == 100.0


# The control packets.


def test_control_packet_is_random_and_tagged() -> None:
    packets = [mediastream.control_packet(172) for _ in range(2000)]
    for packet, tag in packets:
        assert len(packet) == 172
        assert packet[0] in mediastream.CONTROL_FIRST_BYTES
        assert mediastream.control_tag(packet) == tag
    assert len({tag for _, tag in packets}) == len(packets)
    assert len({packet[0] for packet, _ in packets}) == 12
    assert len({packet[100] for packet, _ in packets}) > 200


def test_control_packet_is_no_other_protocol() -> None:
    for _ in range(2000):
        packet, _ = mediastream.control_packet(172)
        assert packet[0] >> 6 != 2, "RTP version 2"
        assert not packet[0] & 0x80, "QUIC long header"
        assert probe_token.probe_token(packet) is None
        assert quic.parse_long_header(packet) is None
        assert mediastream.rtp_sequence(packet, int.from_bytes(packet[8:12])) is None


@pytest.mark.parametrize("size", [mediastream.CONTROL_MIN_SIZE, 172, 1400])
def test_responder_echoes_control_unchanged(size: int) -> None:
    packet, _ = mediastream.control_packet(size)
    assert build_reply(packet, "192.0.2.7", 40000) == packet


def test_control_packet_too_small() -> None:
    with pytest.raises(ValueError, match="needs 9 bytes"):
        mediastream.control_packet(mediastream.CONTROL_MIN_SIZE - 1)


def test_other_packets_have_no_control_tag() -> None:
    rtp = mediastream.rtp_packet(7, 0x01020304, 172)
    binding = bytes(
        stun.Message(
            message_method=stun.Method.BINDING, message_class=stun.Class.REQUEST
        )
    )
    probe = probe_token.encode_probe(probe_token.new_token())
    assert mediastream.control_tag(rtp) is None
    assert mediastream.control_tag(binding) is None
    assert mediastream.control_tag(probe) is None
    assert mediastream.control_tag(b"\x05" * 8) is None


# The responder's default rate limit against two streams from one address.


def test_default_rate_limit_carries_two_streams() -> None:
    args = responder_cli.build_parser().parse_args(["--bind", "127.0.0.1"])
    limiter = SourceRateLimiter(args.rate, args.burst)
    # A full sweep of the range first empties most of the burst.
    sweep_allowed = sum(limiter.allow("192.0.2.7", now=0.0) for _ in range(10_500))
    # Then two 50 pps streams for 10 s: 100 datagrams a second from one address.
    streams_allowed = sum(
        limiter.allow("192.0.2.7", now=0.1 + i / 100) for i in range(1000)
    )
    assert args.rate >= 2 * 50
    assert sweep_allowed == 10_500
    assert streams_allowed == 1000


# The outcome wording of the built-in profile's ips check.


@pytest.fixture
def builtin_ips() -> IpsCheck:
    checks = build_checks(load_profile(builtin_profile_path()), "acme")
    (check,) = [check for check in checks if check.spec.id == "ips"]
    assert isinstance(check, IpsCheck)
    return check


def outcome_of(check: IpsCheck, rtp: StreamFigures, control: StreamFigures):
    finding = compare(rtp, control, check.rule)
    return check._outcome(finding, rtp, control, {})


def test_builtin_ips_is_required(builtin_ips: IpsCheck) -> None:
    assert builtin_ips.spec.severity.value == "required"
    assert builtin_ips.spec.group == "media"
    assert builtin_ips.rule == LossRule(5, 2)


def test_rtp_cut_wording(builtin_ips: IpsCheck) -> None:
    outcome = outcome_of(builtin_ips, figures(40, stopped_after_s=6.0), figures())
    assert outcome.status.value == "fail"
    assert "cut the voice (RTP) stream" in outcome.summary
    assert "after about 6 s" in outcome.summary
    assert "random packets of the same size passed" in outcome.summary
    assert "SIP/RTP (VoIP) signatures" in outcome.remedy
    assert "UDP port 10000" in outcome.remedy
    assert "acme.ucontactcloud.com" in outcome.remedy


def test_both_cut_wording(builtin_ips: IpsCheck) -> None:
    outcome = outcome_of(
        builtin_ips,
        figures(40, stopped_after_s=6.0),
        figures(20, stopped_after_s=8.0),
    )
    assert outcome.status.value == "fail"
    assert "both stopped after about 6 s (300 packets)" in outcome.summary
    assert "the random stream after about 8 s" in outcome.summary
    assert "session or packet-count limit" in outcome.summary
    assert "session-time or packet-count limit" in outcome.remedy
    assert "UDP port 10000" in outcome.remedy


def test_rtp_loss_wording(builtin_ips: IpsCheck) -> None:
    outcome = outcome_of(builtin_ips, figures(30), figures(2))
    assert outcome.status.value == "fail"
    assert "dropped more than random ones" in outcome.summary
    assert "loss 30 % for RTP against 2 %" in outcome.summary
    assert "acme.ucontactcloud.com" in outcome.remedy


def test_pass_has_no_remedy(builtin_ips: IpsCheck) -> None:
    outcome = outcome_of(builtin_ips, figures(5), figures(4.6))
    assert outcome.status.value == "pass"
    assert outcome.remedy == ""
    assert "passed alike" in outcome.summary


# Both checks on loopback against the real responder.


@pytest.fixture
def responder() -> Iterator[Responder]:
    server = Responder("127.0.0.1", [RESPONDER_PORT], rate=1000, burst=200)
    server.open()
    thread = threading.Thread(target=server.serve, daemon=True)
    thread.start()
    yield server
    server.stop()
    thread.join(timeout=3)


LOOPBACK_PROFILE = """
[profile]
name = "ips loopback"
instance_host = "{instance}.example.test"

[run]
concurrency = 4
deadline_s = 10

[thresholds]
rtt_ms = [150, 400]
jitter_ms = [30, 50]
loss_percent = [1, 3]
mos = [3.8, 3.1]
""" + "".join(
    f"""
[[check]]
id = "{kind}"
kind = "{kind}"
group = "media"
title = "{kind}"
requirement = "{kind} on loopback"
severity = "required"
timeout_s = 5
responder = "127.0.0.1"
port = {RESPONDER_PORT}
stun_host = "127.0.0.1"
duration_s = 1
packets_per_second = 50
packet_bytes = 172
"""
    for kind in ("quality", "ips")
)


async def test_quality_and_ips_share_one_rtp_stream(
    responder: Responder, tmp_path: Path
) -> None:
    path = tmp_path / "ips.toml"
    path.write_text(LOOPBACK_PROFILE)
    profile = load_profile(path)
    ctx = RunContext(profile, "acme")

    results = {r.id: r for r in await run_checks(build_checks(profile, "acme"), ctx)}

    ips = results["ips"]
    assert ips.status.value == "pass", ips.summary
    assert ips.evidence["rtp"]["received"] == 50
    assert ips.evidence["control"]["received"] == 50
    assert results["quality"].status.value == "pass", results["quality"].summary
    assert results["quality"].evidence["received"] == 50
    # One presence probe (and its retry, if any), one RTP and one control stream.
    assert 100 < responder.counters.received <= 102
