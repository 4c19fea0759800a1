"""The voice test streams of a run, sent once and shared by the quality and IPS checks.

With a responder, the streams are an RTP stream and, when the profile has an `ips`
check, a random-payload control stream of the same size and rate. Both start
together, each from its own socket, to the same responder port. Without a responder
there is one stream of STUN binding requests to the STUN server.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from app.core import mediastream, remedy, udpevidence, udpsweep
from app.core.checks import Check
from app.core.context import RunContext
from app.core.model import Outcome, Status
from app.core.net import ProbeError
from app.core.profile import Table

# Seconds to wait for late echoes after the last datagram of a stream is sent.
GRACE_S = 1.0
# The responder's presence probe: one retry, 1 s wait, at most 2.5 s.
PRESENCE_PLAN = udpsweep.SweepPlan(0, 1.0, 1, 2.5)


@dataclass(frozen=True)
class StreamPlan:
    """Stream parameters, which both checks must share to read one stream."""

    count: int
    packets_per_second: float
    packet_bytes: int

    @classmethod
    def for_duration(
        cls, duration_s: float, packets_per_second: float, packet_bytes: int
    ) -> StreamPlan:
        return cls(
            int(duration_s * packets_per_second), packets_per_second, packet_bytes
        )

    def key(self, peer: tuple[str, int], with_size: bool = True) -> str:
        key = f"{peer[0]}:{peer[1]}:{self.count}:{self.packets_per_second:g}"
        return f"{key}:{self.packet_bytes}" if with_size else key


@dataclass(frozen=True)
class RtpStreams:
    """The RTP stream and, when it was sent, the random-payload control stream."""

    rtp: mediastream.StreamStats
    control: mediastream.StreamStats | None


async def choose_peer(
    ctx: RunContext, responder: str, port: int, stun_host: str, stun_port: int
) -> tuple[str, tuple[str, int] | None]:
    """Return ("rtp", responder) if the responder replies on `port`, else STUN's peer.

    The presence probe is memoised per run, so every caller gets the same answer.
    The peer is None when neither host resolves.
    """
    try:
        address = await udpevidence.first_address(ctx, responder)
        if await udpevidence.responder_present(ctx, address, port, PRESENCE_PLAN):
            return "rtp", (address, port)
    except ProbeError:
        pass
    try:
        address = await udpevidence.first_address(ctx, stun_host)
    except ProbeError:
        return "stun", None
    return "stun", (address, stun_port)


def profile_has_ips(ctx: RunContext) -> bool:
    return any(spec.kind == "ips" for spec in ctx.profile.checks)


async def rtp_streams(
    ctx: RunContext, peer: tuple[str, int], plan: StreamPlan
) -> RtpStreams:
    """Send the RTP stream to the responder once per run, with its control if needed.

    The control stream is sent only when the profile has an `ips` check, which reads
    it. NOTE: an `ips` check whose stream parameters differ from the quality check's
    gets a key of its own, so two RTP streams are sent.
    """

    async def send() -> RtpStreams:
        rtp = mediastream.rtp_stream(
            peer, plan.count, plan.packets_per_second, plan.packet_bytes, GRACE_S
        )
        if not profile_has_ips(ctx):
            return RtpStreams(await rtp, None)
        control = mediastream.control_stream(
            peer, plan.count, plan.packets_per_second, plan.packet_bytes, GRACE_S
        )
        rtp_stats, control_stats = await asyncio.gather(rtp, control)
        return RtpStreams(rtp_stats, control_stats)

    return await ctx.shared(f"rtp-stream:{plan.key(peer)}", send)


async def stun_stream(
    ctx: RunContext, peer: tuple[str, int], plan: StreamPlan
) -> mediastream.StreamStats:
    """Send the STUN binding-request stream once per run; its size is STUN's own."""

    async def send() -> mediastream.StreamStats:
        return await mediastream.stun_stream(
            peer, plan.count, plan.packets_per_second, GRACE_S
        )

    return await ctx.shared(f"stun-stream:{plan.key(peer, with_size=False)}", send)


class VoiceStreamCheck(Check):
    """A check that reads the run's voice streams: the parameters both checks share.

    Quality and IPS must declare the same stream parameters to read one stream.
    """

    def configure(self, params: Table) -> None:
        self.responder = params.str(
            "responder", example='"{instance}.ucontactcloud.com"'
        )
        self.port = params.port("port", 10000)
        self.stun_host = params.str("stun_host", example='"stun.ucontactcloud.com"')
        self.stun_port = params.port("stun_port", 3478)
        self.duration_s = params.number("duration_s", 10, maximum=300, example="10")
        self.rate = params.number("packets_per_second", 50, maximum=1000, example="50")
        self.packet_bytes = params.integer(
            "packet_bytes", 172, minimum=12, maximum=1400, example="172"
        )
        if self.spec.timeout_s < self.duration_s + 3:
            raise params.error(
                "duration_s",
                f"leaves no time within timeout_s {self.spec.timeout_s:g}",
                "make timeout_s at least "
                "duration_s + 3 (or more for the responder probe)",
            )

    def hosts(self) -> list[str]:
        return sorted({self.responder, self.stun_host})

    async def plan_and_peer(
        self, ctx: RunContext
    ) -> tuple[StreamPlan, str, tuple[str, int] | None]:
        """Return the stream plan, the stream kind and the peer (None: no host resolves)."""
        plan = StreamPlan.for_duration(self.duration_s, self.rate, self.packet_bytes)
        stream, peer = await choose_peer(
            ctx, self.responder, self.port, self.stun_host, self.stun_port
        )
        return plan, stream, peer

    def no_peer(self) -> Outcome:
        return Outcome(
            Status.UNKNOWN,
            f"No stream could be sent: neither {self.responder} nor "
            f"{self.stun_host} resolves.",
            remedy.fix_dns(self.responder, self.port, "UDP", "voice media"),
            {"stream": None},
        )
