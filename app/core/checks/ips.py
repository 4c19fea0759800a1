"""IPS check: is voice (RTP) cut or dropped where random packets of its size pass?

Two streams start together to the responder's port, each from its own socket: the
RTP stream that the quality check also reads, and a control stream of the same size
and rate whose payload is random. An IPS with VoIP signatures treats them apart; a
session or packet-count limit on the firewall cuts both.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from app.core import mediastream, remedy, voicestreams
from app.core.checks import register
from app.core.checks.quality import stopped_after
from app.core.context import RunContext
from app.core.model import Outcome, Status
from app.core.profile import Table


class Finding(StrEnum):
    PASS = "pass"
    RTP_CUT = "rtp-cut"
    BOTH_CUT = "both-cut"
    RTP_LOSS = "rtp-loss"
    NO_ECHO = "no-echo"


@dataclass(frozen=True)
class StreamFigures:
    """The loss and stop of one stream, as the verdict and the evidence use them."""

    sent: int
    received: int
    loss_percent: float
    longest_loss_burst: int
    stopped_after_s: float | None = None
    stopped_after_packets: int | None = None

    @classmethod
    def from_stats(
        cls, stats: mediastream.StreamStats, packets_per_second: float
    ) -> StreamFigures:
        loss = (
            100.0 * (stats.sent - stats.received) / stats.sent if stats.sent else 100.0
        )
        stop = stopped_after(stats, packets_per_second)
        return cls(
            sent=stats.sent,
            received=stats.received,
            loss_percent=round(loss, 2),
            longest_loss_burst=stats.longest_loss_burst(),
            stopped_after_s=stop[0] if stop else None,
            stopped_after_packets=stop[1] if stop else None,
        )

    @property
    def silent(self) -> bool:
        return self.received == 0

    @property
    def stopped(self) -> bool:
        return self.stopped_after_s is not None

    def evidence(self) -> dict[str, Any]:
        return {
            "sent": self.sent,
            "received": self.received,
            "loss_percent": self.loss_percent,
            "longest_loss_burst": self.longest_loss_burst,
            "stopped_after_s": self.stopped_after_s,
            "stopped_after_packets": self.stopped_after_packets,
        }


@dataclass(frozen=True)
class LossRule:
    """Rule for targeted RTP loss: above the control's loss by both measures.

    Both streams cross the same path at the same time, so random loss hits them
    alike. With 500 packets each, two 5 % losses differ with a standard deviation of
    about 1.4 points, so a 5-point margin is about 3.6 standard deviations. The ratio
    keeps a lossy path (16 % for RTP against 10 %) from reading as an IPS.
    """

    margin_points: float = 5.0
    ratio: float = 2.0

    def rtp_worse(self, rtp_loss: float, control_loss: float) -> bool:
        return (
            rtp_loss - control_loss >= self.margin_points
            and rtp_loss >= self.ratio * control_loss
        )


def compare(rtp: StreamFigures, control: StreamFigures, rule: LossRule) -> Finding:
    """Classify the two streams by the first rule that matches."""
    if rtp.silent and control.silent:
        return Finding.NO_ECHO
    if rtp.stopped and control.stopped_after_s is None and not control.silent:
        return Finding.RTP_CUT
    if rtp.stopped:
        return Finding.BOTH_CUT
    if rtp.silent:
        return Finding.RTP_LOSS
    if rule.rtp_worse(rtp.loss_percent, control.loss_percent):
        return Finding.RTP_LOSS
    return Finding.PASS


@register
class IpsCheck(voicestreams.VoiceStreamCheck):
    kind = "ips"

    def configure(self, params: Table) -> None:
        super().configure(params)
        self.rule = LossRule(
            params.number("loss_margin_points", 5, maximum=100, example="5"),
            params.number("loss_ratio", 2, minimum=1, maximum=100, example="2"),
        )

    async def run(self, ctx: RunContext) -> Outcome:
        plan, stream, peer = await self.plan_and_peer(ctx)
        if peer is None:
            return self.no_peer()
        evidence: dict[str, Any] = {
            "stream": stream,
            "peer": f"{peer[0]}:{peer[1]}",
            "duration_s": self.duration_s,
            "packets_per_second": self.rate,
        }
        if stream == "stun":
            stats = await voicestreams.stun_stream(ctx, peer, plan)
            return self._stun_outcome(
                StreamFigures.from_stats(stats, self.rate), evidence
            )

        streams = await voicestreams.rtp_streams(ctx, peer, plan)
        if streams.control is None:
            # rtp_streams sends the control whenever the run's profile has an ips
            # check, so only a context built for another profile lands here.
            return Outcome(
                Status.UNKNOWN,
                f"The RTP stream to UDP {self.port} on {self.responder} was sent "
                "without its random-payload control, so voice could not be compared.",
                "Send this report to the helpdesk; the check needs UDP port "
                f"{self.port} to {self.responder}.",
                evidence,
            )
        rtp = StreamFigures.from_stats(streams.rtp, self.rate)
        control = StreamFigures.from_stats(streams.control, self.rate)
        finding = compare(rtp, control, self.rule)
        evidence.update(
            packet_bytes=self.packet_bytes,
            finding=finding.value,
            rtp=rtp.evidence(),
            control=control.evidence(),
            loss_rule={
                "margin_points": self.rule.margin_points,
                "ratio": self.rule.ratio,
            },
        )
        return self._outcome(finding, rtp, control, evidence)

    def _outcome(
        self,
        finding: Finding,
        rtp: StreamFigures,
        control: StreamFigures,
        evidence: dict[str, Any],
    ) -> Outcome:
        target = f"UDP {self.port} on {self.responder}"
        losses = (
            f"loss {rtp.loss_percent:g} % for RTP against {control.loss_percent:g} % "
            "for random packets"
        )
        if finding is Finding.PASS:
            summary = (
                f"Voice (RTP) and random packets of the same size to {target} "
                f"passed alike: {losses}, longest RTP loss burst "
                f"{rtp.longest_loss_burst}."
            )
            if control.stopped:
                summary += (
                    f" The random stream stopped after about "
                    f"{control.stopped_after_s:g} s, which voice does not need."
                )
            return Outcome(Status.PASS, summary, evidence=evidence)

        if finding is Finding.RTP_CUT:
            summary = (
                f"An IPS or firewall cut the voice (RTP) stream to {target} after "
                f"about {rtp.stopped_after_s:g} s ({rtp.stopped_after_packets} "
                "packets) while random packets of the same size passed "
                f"({control.received} of {control.sent} echoed)."
            )
            return Outcome(Status.FAIL, summary, self._ips_fix(), evidence)

        if finding is Finding.BOTH_CUT:
            control_stop = self._control_stop(rtp, control)
            summary = (
                f"The voice (RTP) stream and the random-payload stream to {target} "
                f"both stopped after about {rtp.stopped_after_s:g} s "
                f"({rtp.stopped_after_packets} packets){control_stop}: "
                "the firewall cut UDP flows, by a session or packet-count limit, or "
                "an IPS."
            )
            return Outcome(Status.FAIL, summary, self._limit_fix(), evidence)

        if finding is Finding.RTP_LOSS:
            summary = (
                "RTP-shaped packets were dropped more than random ones: an IPS is "
                f"discarding voice ({losses} of the same size to {target}, longest "
                f"RTP loss burst {rtp.longest_loss_burst})."
            )
            return Outcome(Status.FAIL, summary, self._ips_fix(), evidence)

        summary = (
            f"Neither the voice (RTP) stream nor the random-payload stream to "
            f"{target} came back, although the responder answered a probe on that "
            "port: the firewall or an IPS drops streams."
        )
        return Outcome(Status.FAIL, summary, self._limit_fix(), evidence)

    def _stun_outcome(self, stun: StreamFigures, evidence: dict[str, Any]) -> Outcome:
        evidence["stun"] = stun.evidence()
        target = f"UDP {self.stun_port} on {self.stun_host}"
        if stun.stopped:
            evidence["finding"] = Finding.BOTH_CUT.value
            summary = (
                f"The stream of STUN binding requests to {target} stopped after "
                f"about {stun.stopped_after_s:g} s ({stun.stopped_after_packets} "
                "packets): the firewall cut a UDP flow, by a session or packet-count "
                "limit or an IPS, unless the STUN server limits requests. Without "
                f"the responder on {self.responder}, voice could not be compared "
                "with random packets."
            )
            fix = (
                "Raise or remove the UDP session-time or packet-count limit on the "
                f"firewall for UDP port {self.stun_port} to {self.stun_host} and for "
                f"voice media to {self.responder} (UDP port {self.port}), and exempt "
                "voice media from the IPS."
            )
            return Outcome(Status.FAIL, summary, fix, evidence)

        summary = (
            "Not verified: this check needs the responder to compare voice with "
            f"random packets, and nothing answered on UDP {self.port} at "
            f"{self.responder}: either the responder does not run there or the "
            f"firewall blocks UDP {self.port} (the voice ports check tells which). "
            f"The STUN stream to {target} was not cut ({stun.received} of "
            f"{stun.sent} answered)."
        )
        fix = (
            f"If the voice ports check failed, allow UDP port {self.port} to "
            f"{self.responder} first. Otherwise ask the uContact administrator to run "
            f"the uContact Network Check responder on {self.responder} (UDP port "
            f"{self.port}) for a definitive result, and check that the IPS has no "
            f"SIP/RTP (VoIP) signature blocking UDP port {self.port} to "
            f"{self.responder}."
        )
        return Outcome(Status.UNKNOWN, summary, fix, evidence)

    @staticmethod
    def _control_stop(rtp: StreamFigures, control: StreamFigures) -> str:
        """Describe the control's stop when it differs from the RTP stream's."""
        if control.silent:
            return ", and no random packet came back at all"
        if control.stopped_after_s is None or rtp.stopped_after_s is None:
            return ""
        if abs(control.stopped_after_s - rtp.stopped_after_s) < 1:
            return ""
        return f" (the random stream after about {control.stopped_after_s:g} s)"

    def _ips_fix(self) -> str:
        return (
            "Disable the SIP/RTP (VoIP) signatures of the IPS for UDP port "
            f"{self.port} to {self.responder}, or exempt voice media to "
            f"{self.responder} from IPS inspection. "
            + remedy.allow("UDP", self.port, self.responder, "voice media")
        )

    def _limit_fix(self) -> str:
        return (
            "Raise or remove the UDP session-time or packet-count limit on the "
            f"firewall for UDP port {self.port} to {self.responder}, and disable the "
            "SIP/RTP (VoIP) signatures of the IPS or exempt voice media to "
            f"{self.responder}. "
            + remedy.allow("UDP", self.port, self.responder, "voice media")
        )
