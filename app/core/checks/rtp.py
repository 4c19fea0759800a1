"""The RTP port range (UDP 10000-20000 by default) to the instance.

Two modes: a sample (both ends, an even stride and a random part, paced at the
profile's rate) and a full sweep of every port. Blocked sub-ranges are named in the
evidence and the remedy. In sample mode each boundary between a good and a bad
sampled port is swept port by port, so a named sub-range has exact ends.
"""

from __future__ import annotations

import asyncio
import itertools
import random
import time
from typing import Any

from app.core import probe_token, remedy, udpevidence, udpsweep
from app.core.checks import Check, register
from app.core.context import RunContext
from app.core.model import Outcome, Status
from app.core.net import ProbeError
from app.core.profile import Table

_MODES = ("sample", "full")
_GOOD = (udpsweep.OPEN, udpsweep.CLOSED)


def sample_ports(low: int, high: int, size: int, rng: random.Random) -> list[int]:
    """Pick about `size` ports: both ends, an even stride over the range, then random.

    Three quarters of the sample is the stride, which bounds the gap between two
    sampled ports. The random quarter catches rules that the stride happens to miss.
    """
    span = high - low + 1
    if size >= span:
        return list(range(low, high + 1))
    chosen = {low, high}
    stride_count = max(0, size * 3 // 4 - 2)
    for index in range(1, stride_count + 1):
        chosen.add(low + round(index * (span - 1) / (stride_count + 1)))
    while len(chosen) < size:
        chosen.add(rng.randint(low, high))
    return sorted(chosen)


def refinement_ports(results: dict[int, str], bad: set[str]) -> list[int]:
    """Return the unprobed ports between each sampled pair whose goodness differs."""
    probed = sorted(results)
    gaps: list[int] = []
    for left, right in itertools.pairwise(probed):
        if (results[left] in bad) != (results[right] in bad):
            gaps.extend(range(left + 1, right))
    return gaps


def bad_ranges(results: dict[int, str], bad: set[str]) -> list[tuple[int, int]]:
    """Return (first, last) of each run of consecutive probed ports that are bad."""
    runs: list[tuple[int, int]] = []
    current: list[int] = []
    for port in sorted(results):
        if results[port] in bad:
            current.append(port)
            continue
        if current:
            runs.append((current[0], current[-1]))
            current = []
    if current:
        runs.append((current[0], current[-1]))
    return runs


@register
class RtpRangeCheck(Check):
    kind = "rtp-range"

    def configure(self, params: Table) -> None:
        self.host = params.str("host", example='"{instance}.ucontactcloud.com"')
        self.responder = params.str(
            "responder", self.host, example='"{instance}.ucontactcloud.com"'
        )
        self.low = params.port("low_port", 10000)
        self.high = params.port("high_port", 20000)
        if self.high < self.low:
            raise params.error(
                "high_port",
                f"must not be below low_port {self.low}",
                "write high_port = 20000",
            )
        self.mode = params.str("mode", "sample", example='"sample"')
        if self.mode not in _MODES:
            raise params.error(
                "mode",
                f"must be sample or full (got {self.mode!r})",
                'write mode = "sample"',
            )
        self.sample_size = params.integer(
            "sample_size", 64, minimum=2, maximum=65535, example="64"
        )
        self.sample_rate = params.number(
            "sample_rate_pps", 100, maximum=1e6, example="100"
        )
        self.full_rate = params.number(
            "full_rate_pps", 40000, maximum=1e7, example="40000"
        )
        self.refine_rate = params.number(
            "refine_rate_pps", 2000, maximum=1e7, example="2000"
        )
        self.wait_s = params.number("wait_s", 1.0, maximum=30, example="1")
        self.retries = params.integer("retries", 1, minimum=0, maximum=10, example="1")
        self.responder_expected = params.boolean("responder_expected", False)
        self.presence_port = params.port("presence_port", 8089)
        self.seed = params.integer("seed", 0, minimum=0, example="0")

    def hosts(self) -> list[str]:
        return sorted({self.host, self.responder})

    def _plan(self, rate: float, deadline_s: float) -> udpsweep.SweepPlan:
        return udpsweep.SweepPlan(rate, self.wait_s, self.retries, deadline_s)

    def _range_text(self) -> str:
        return f"{self.low}-{self.high}"

    async def run(self, ctx: RunContext) -> Outcome:
        try:
            address = await udpevidence.first_address(ctx, self.host)
        except ProbeError as exc:
            summary, fix = udpevidence.dns_failure(exc, "UDP", self._range_text())
            return Outcome(Status.FAIL, summary, fix, {"error": exc.kind})

        budget = max(1.0, self.spec.timeout_s - 0.5)
        started = time.monotonic()
        presence = asyncio.ensure_future(self._presence(ctx, budget))
        try:
            return await self._sweep(address, presence, budget, started)
        finally:
            presence.cancel()

    async def _sweep(
        self,
        address: str,
        presence: asyncio.Future[bool],
        budget: float,
        started: float,
    ) -> Outcome:
        token = probe_token.new_token()
        payload = probe_token.encode_probe(token)
        if self.mode == "full":
            ports = list(range(self.low, self.high + 1))
            rate = self.full_rate
        else:
            rng = random.Random(self.seed or None)
            ports = sample_ports(self.low, self.high, self.sample_size, rng)
            rate = self.sample_rate
        sweep = await udpsweep.sweep(address, ports, payload, self._plan(rate, budget))
        states = {port: result.state for port, result in sweep.ports.items()}
        present = (
            any(_carries_token(result.reply, token) for result in sweep.ports.values())
            or await presence
        )

        bad = {udpsweep.REJECTED, udpsweep.UNREACHABLE}
        if present or self.responder_expected:
            bad.add(udpsweep.SILENT)
        refined = 0
        if self.mode == "sample":
            gaps = refinement_ports(states, bad)
            remaining = budget - (time.monotonic() - started)
            if gaps and remaining > 0.5:
                # One retry at most, so the boundary search fits in what is left.
                plan = udpsweep.SweepPlan(
                    self.refine_rate, self.wait_s, min(self.retries, 1), remaining
                )
                extra = await udpsweep.sweep(address, gaps, payload, plan)
                states.update({port: r.state for port, r in extra.ports.items()})
                refined = len(gaps)
        return self._outcome(sweep, states, bad, present, refined)

    async def _presence(self, ctx: RunContext, budget: float) -> bool:
        try:
            address = await udpevidence.first_address(ctx, self.responder)
        except ProbeError:
            return False
        plan = udpsweep.SweepPlan(0, self.wait_s, 2, budget)
        return await udpevidence.responder_present(
            ctx, address, self.presence_port, plan
        )

    def _outcome(
        self,
        sweep: udpsweep.SweepResult,
        states: dict[int, str],
        bad: set[str],
        present: bool,
        refined: int,
    ) -> Outcome:
        counts: dict[str, int] = {}
        for state in states.values():
            counts[state] = counts.get(state, 0) + 1
        runs = bad_ranges(states, bad)
        rtts = [
            r.rtt_ms
            for r in sweep.ports.values()
            if r.state == udpsweep.OPEN and r.rtt_ms is not None
        ]
        icmp_sources = sorted(
            {r.icmp_from for r in sweep.ports.values() if r.icmp_from}
        )
        evidence: dict[str, Any] = {
            "address": sweep.address,
            "range": self._range_text(),
            "mode": self.mode,
            "ports_probed": len(states),
            "refined_ports": refined,
            "counts": counts,
            "blocked_ranges": [udpsweep.describe_ranges([run]) for run in runs],
            "silent_ranges": _state_ranges(states, udpsweep.SILENT),
            "rejected_ranges": _state_ranges(states, udpsweep.REJECTED),
            "closed_ranges": _state_ranges(states, udpsweep.CLOSED),
            "icmp_from": icmp_sources,
            "responder_present": present,
            "responder_expected": self.responder_expected,
            "icmp_supported": sweep.icmp_supported,
            "max_rtt_ms": max(rtts) if rtts else None,
            "elapsed_s": sweep.elapsed_s,
            "send_error": sweep.send_error,
        }
        target = f"UDP {self._range_text()} to {self.host}"
        probed = len(states)

        if all(state in _GOOD for state in states.values()):
            return Outcome(
                Status.PASS,
                f"{target}: all {probed} probed ports answered "
                f"({counts.get(udpsweep.OPEN, 0)} by reply, "
                f"{counts.get(udpsweep.CLOSED, 0)} by ICMP port-unreachable from the "
                "server).",
                evidence=evidence,
            )
        if runs:
            blocked = udpsweep.describe_ranges(runs)
            cause = _blocked_cause(states, bad, icmp_sources)
            fix = remedy.allow("UDP", blocked, self.host, "voice media, RTP")
            return Outcome(
                Status.FAIL,
                f"{target}: UDP {blocked} is blocked ({cause}).",
                fix,
                evidence,
            )
        silent = counts.get(udpsweep.SILENT, 0)
        return Outcome(
            Status.UNKNOWN,
            f"{target}: {silent} of {probed} probed ports stayed silent and no "
            "responder answers there, so they could not be verified.",
            f"{remedy.allow('UDP', self._range_text(), self.host, 'voice media, RTP')}"
            f" To verify it, run the uContact Network Check responder on "
            f"{self.responder} (UDP {self._range_text()} and {self.presence_port}).",
            evidence,
        )


def _carries_token(reply: bytes | None, token: bytes) -> bool:
    if reply is None:
        return False
    parsed = probe_token.parse_reply(reply)
    return parsed is not None and parsed.token == token


def _state_ranges(states: dict[int, str], state: str) -> list[str]:
    runs = bad_ranges(states, {state})
    return [udpsweep.describe_ranges([run]) for run in runs]


def _blocked_cause(states: dict[int, str], bad: set[str], sources: list[str]) -> str:
    kinds = {state for state in states.values() if state in bad}
    parts = []
    if udpsweep.REJECTED in kinds or udpsweep.UNREACHABLE in kinds:
        parts.append(f"rejected with ICMP from {', '.join(sources) or 'the path'}")
    if udpsweep.SILENT in kinds:
        parts.append("silently dropped while the responder answers elsewhere")
    return "; ".join(parts)
