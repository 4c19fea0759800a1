"""Per-source token buckets that cap how many datagrams the responder answers."""

from __future__ import annotations

import time
from collections import OrderedDict
from dataclasses import dataclass


@dataclass
class _Bucket:
    tokens: float
    updated: float
    dropped: int = 0
    last_logged: float = 0.0


class SourceRateLimiter:
    """Allow `rate` datagrams per second per source address, with bursts of `burst`.

    At most `max_sources` buckets are kept; the least recently seen source is
    forgotten first, which only resets that source to a full burst.
    """

    def __init__(self, rate: float, burst: int, max_sources: int = 10_000) -> None:
        self.rate = rate
        self.burst = burst
        self.max_sources = max_sources
        self._buckets: OrderedDict[str, _Bucket] = OrderedDict()

    def allow(self, source: str, now: float | None = None) -> bool:
        now = time.monotonic() if now is None else now
        bucket = self._buckets.get(source)
        if bucket is None:
            bucket = _Bucket(float(self.burst), now)
            self._buckets[source] = bucket
            if len(self._buckets) > self.max_sources:
                self._buckets.popitem(last=False)
        else:
            self._buckets.move_to_end(source)
            bucket.tokens = min(
                float(self.burst), bucket.tokens + (now - bucket.updated) * self.rate
            )
            bucket.updated = now
        if bucket.tokens >= 1.0:
            bucket.tokens -= 1.0
            return True
        bucket.dropped += 1
        return False

    def take_drop_report(self, source: str, interval_s: float, now: float) -> int:
        """Return the drops to log for `source` at most once per `interval_s`, else 0."""
        bucket = self._buckets.get(source)
        if bucket is None or not bucket.dropped:
            return 0
        if bucket.last_logged and now - bucket.last_logged < interval_s:
            return 0
        dropped, bucket.dropped, bucket.last_logged = bucket.dropped, 0, now
        return dropped
