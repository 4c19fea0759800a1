"""Call-quality statistics (RFC 3550 jitter, loss, bursts, stall) and grading."""

from __future__ import annotations

import pytest

from app.core import mediastream
from app.core.checks.quality import grade_above, grade_below, measure
from app.core.model import Status


def stats_from(
    send: list[float], arrivals: dict[int, float]
) -> mediastream.StreamStats:
    stats = mediastream.StreamStats(sent=len(send), received=len(arrivals))
    stats.send_times = send
    stats.arrivals = arrivals
    return stats


def test_constant_delay_has_no_jitter() -> None:
    send = [i * 0.02 for i in range(100)]
    stats = stats_from(send, {i: t + 0.05 for i, t in enumerate(send)})
    assert stats.jitter_ms() == pytest.approx(0.0, abs=1e-9)


def test_alternating_delay_jitter() -> None:
    # Transit alternates 40 and 60 ms: |D| = 20 ms, so J converges towards 20 ms.
    send = [i * 0.02 for i in range(400)]
    arrivals = {i: t + (0.04 if i % 2 else 0.06) for i, t in enumerate(send)}
    assert stats_from(send, arrivals).jitter_ms() == pytest.approx(20.0, rel=0.01)


def test_loss_and_longest_burst() -> None:
    send = [i * 0.02 for i in range(100)]
    lost = {10, 11, 12, 50}
    stats = stats_from(send, {i: t + 0.01 for i, t in enumerate(send) if i not in lost})
    values = measure(stats, 50)
    assert values["loss_percent"] == 4.0
    assert values["longest_loss_burst"] == 3
    assert values["stopped_after_s"] is None


def test_stall_reports_time_of_last_echo() -> None:
    send = [i * 0.02 for i in range(500)]
    stats = stats_from(send, {i: t + 0.01 for i, t in enumerate(send) if i < 300})
    values = measure(stats, 50)
    assert values["stopped_after_s"] == 6.0
    assert values["stopped_after_packets"] == 300


def test_clean_stream_mos() -> None:
    send = [i * 0.02 for i in range(100)]
    stats = stats_from(send, {i: t + 0.02 for i, t in enumerate(send)})
    assert measure(stats, 50)["mos"] >= 4.3


def test_rtp_packet_shape() -> None:
    packet = mediastream.rtp_packet(7, 0x01020304, 172)
    assert len(packet) == 172
    assert packet[0] == 0x80
    assert packet[1] == 0  # PCMU
    assert mediastream.rtp_sequence(packet, 0x01020304) == 7
    assert mediastream.rtp_sequence(packet, 0x05060708) is None


@pytest.mark.parametrize(
    ("value", "expected"),
    [(10, Status.PASS), (150, Status.WARN), (400, Status.WARN), (401, Status.FAIL)],
)
def test_grade_above(value: float, expected: Status) -> None:
    assert grade_above(value, (150, 400)) is expected


@pytest.mark.parametrize(
    ("mos", "expected"),
    [(4.4, Status.PASS), (3.8, Status.PASS), (3.5, Status.WARN), (3.0, Status.FAIL)],
)
def test_grade_below(mos: float, expected: Status) -> None:
    assert grade_below(mos, (3.8, 3.1)) is expected
