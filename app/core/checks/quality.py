"""Call quality: a G.711-shaped stream, its RTT, jitter, loss and E-model MOS.

With a responder, the stream is RTP (PCMU, 50 packets of 172 bytes per second by
default) echoed by the responder. Without one it is a stream of STUN binding
requests to the STUN server at the same rate, which measures the same path
properties with smaller packets.
"""

from __future__ import annotations

from typing import Any

from app.core import emodel, mediastream, remedy, voicestreams
from app.core.checks import register
from app.core.context import RunContext
from app.core.model import Outcome, Status
from app.core.profile import Table

# Mouth-to-ear delay beyond half the round trip: 20 ms of packetization plus a
# jitter buffer of twice the jitter, at least 20 ms (an estimate of a WebRTC client).
PACKETIZATION_MS = 20.0
MIN_JITTER_BUFFER_MS = 20.0
# A stream whose last this-many packets all got no echo "stopped" rather than lost.
STALL_PACKETS = 25
_RANK = {Status.PASS: 0, Status.WARN: 1, Status.FAIL: 2}


def read_limits(profile_thresholds: Any, file: Any, key: str) -> tuple[float, float]:
    """Read a [pass, fail] pair from [thresholds]; raises ProfileError naming the key."""
    table = Table(profile_thresholds, file, "thresholds")
    value = table._get(key, None, f"{key} = [1, 3]")
    if (
        not isinstance(value, list)
        or len(value) != 2
        or not all(
            isinstance(v, int | float) and not isinstance(v, bool) for v in value
        )
    ):
        raise table.error(
            key,
            f"must be a list of two numbers (got {value!r})",
            f"write it as {key} = [1, 3]",
        )
    first, second = float(value[0]), float(value[1])
    # MOS is better when higher, so its pass limit comes first and is the larger.
    if key == "mos" and first < second:
        raise table.error(
            key,
            f"lists the pass limit below the fail limit ({value!r})",
            f"write the larger value first, as {key} = [3.8, 3.1]",
        )
    if key != "mos" and first > second:
        raise table.error(
            key,
            f"lists the pass limit above the fail limit ({value!r})",
            f"write the smaller value first, as {key} = [150, 400]",
        )
    return first, second


def grade_above(value: float, limits: tuple[float, float]) -> Status:
    """Grade a value where lower is better: pass below limits[0], fail above limits[1]."""
    if value < limits[0]:
        return Status.PASS
    return Status.WARN if value <= limits[1] else Status.FAIL


def grade_below(value: float, limits: tuple[float, float]) -> Status:
    """Grade a value where higher is better (MOS): pass at limits[0], warn to limits[1]."""
    if value >= limits[0]:
        return Status.PASS
    return Status.WARN if value >= limits[1] else Status.FAIL


def stopped_after(
    stats: mediastream.StreamStats, packets_per_second: float
) -> tuple[float, int] | None:
    """Return (seconds, packets) after which echoes stopped, or None if they went on.

    Echoes stopped when the last STALL_PACKETS packets all got none. A stream that
    got no echo at all never started, so it returns None.
    """
    last = stats.last_received_seq()
    if last is None or stats.sent - 1 - last < STALL_PACKETS:
        return None
    return round((last + 1) / packets_per_second, 1), last + 1


def measure(
    stats: mediastream.StreamStats, packets_per_second: float
) -> dict[str, Any]:
    """Turn stream statistics into the evidence values, the MOS among them."""
    rtts = stats.rtts_ms()
    loss = 100.0 * (stats.sent - stats.received) / stats.sent if stats.sent else 100.0
    rtt = sum(rtts) / len(rtts) if rtts else None
    jitter = stats.jitter_ms()
    pattern = stats.received_pattern()
    values: dict[str, Any] = {
        "sent": stats.sent,
        "received": stats.received,
        "loss_percent": round(loss, 2),
        "longest_loss_burst": stats.longest_loss_burst(),
        "rtt_ms": round(rtt, 2) if rtt is not None else None,
        "max_rtt_ms": round(max(rtts), 2) if rtts else None,
        "jitter_ms": round(jitter, 2),
        "stopped_after_s": None,
    }
    stop = stopped_after(stats, packets_per_second)
    if stop is not None:
        values["stopped_after_s"], values["stopped_after_packets"] = stop
    if rtt is not None:
        one_way = rtt / 2 + PACKETIZATION_MS + max(MIN_JITTER_BUFFER_MS, 2 * jitter)
        rating = emodel.rate_g711(one_way, loss, emodel.burst_ratio(pattern))
        values.update(
            mouth_to_ear_ms=round(one_way, 1),
            r_factor=rating.r,
            mos=rating.mos,
            burst_ratio=round(emodel.burst_ratio(pattern), 2),
        )
    return values


@register
class QualityCheck(voicestreams.VoiceStreamCheck):
    kind = "quality"

    def configure(self, params: Table) -> None:
        super().configure(params)
        thresholds = self.profile.thresholds
        self.limits = {
            key: read_limits(thresholds, self.profile.path, key)
            for key in ("rtt_ms", "jitter_ms", "loss_percent", "mos")
        }

    async def run(self, ctx: RunContext) -> Outcome:
        plan, stream, peer = await self.plan_and_peer(ctx)
        if peer is None:
            return self.no_peer()
        if stream == "rtp":
            stats = (await voicestreams.rtp_streams(ctx, peer, plan)).rtp
        else:
            stats = await voicestreams.stun_stream(ctx, peer, plan)
        values = measure(stats, self.rate)
        evidence = {
            "stream": stream,
            "peer": f"{peer[0]}:{peer[1]}",
            "duration_s": self.duration_s,
            "packets_per_second": self.rate,
            "packet_bytes": self.packet_bytes if stream == "rtp" else None,
            **values,
        }
        return self._outcome(stream, peer, evidence)

    def _outcome(
        self, stream: str, peer: tuple[str, int], evidence: dict[str, Any]
    ) -> Outcome:
        target = (
            f"UDP {peer[1]} on {self.responder}"
            if stream == "rtp"
            else f"STUN on UDP {peer[1]} of {self.stun_host}"
        )
        host = self.responder if stream == "rtp" else self.stun_host
        fix = remedy.allow("UDP", peer[1], host, "voice media")
        if not evidence["received"]:
            return Outcome(
                Status.FAIL,
                f"No packet of the {evidence['sent']}-packet "
                f"stream to {target} came back.",
                fix,
                evidence,
            )

        grades = {
            "rtt": grade_above(evidence["rtt_ms"], self.limits["rtt_ms"]),
            "jitter": grade_above(evidence["jitter_ms"], self.limits["jitter_ms"]),
            "loss": grade_above(evidence["loss_percent"], self.limits["loss_percent"]),
            "mos": grade_below(evidence["mos"], self.limits["mos"]),
        }
        if evidence["stopped_after_s"] is not None:
            grades["stall"] = Status.FAIL
        evidence["grades"] = {name: status.value for name, status in grades.items()}
        status = max(grades.values(), key=_RANK.__getitem__)
        measured = (
            f"RTT {evidence['rtt_ms']:g} ms, jitter {evidence['jitter_ms']:g} ms, "
            f"loss {evidence['loss_percent']:g} % (longest burst "
            f"{evidence['longest_loss_burst']}), MOS {evidence['mos']:g}"
        )
        if evidence["stopped_after_s"] is not None:
            summary = (
                f"The stream to {target} stopped after about "
                f"{evidence['stopped_after_s']:g} s "
                f"({evidence['stopped_after_packets']} packets): something on the path, "
                f"often an IPS or a session limit, cut the flow; {measured}."
            )
            fix = (
                f"{fix} Check the firewall or IPS for rules that cut long UDP flows "
                "(packet-count or session-time limits) and exempt voice media."
            )
            return Outcome(status, summary, fix, evidence)
        if status is Status.PASS:
            return Outcome(
                status, f"Stream to {target}: {measured}.", evidence=evidence
            )
        worst = [name for name, grade in grades.items() if grade is status]
        return Outcome(
            status,
            f"Stream to {target}: {measured}; {', '.join(worst)} outside the "
            "thresholds.",
            f"{fix} Look for congestion, Wi-Fi interference or a VPN on this path, and "
            "give voice media priority (QoS).",
            evidence,
        )
