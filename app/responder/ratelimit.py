"""Per-source token buckets, and counters that keep repeated log lines rare."""

from __future__ import annotations

import time
from collections import OrderedDict
from dataclasses import dataclass
from typing import Generic, TypeVar

Key = TypeVar("Key")


@dataclass
class _Bucket:
    tokens: float
    updated: float


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
        return False


@dataclass
class _Window:
    started: float
    count: int
    detail: object
    # True when the caller logged the window's first event itself.
    first_logged: bool


@dataclass(frozen=True)
class Repeat(Generic[Key]):
    """How often one kind of event happened for `key` in a window that ended."""

    key: Key
    count: int
    detail: object


class RepeatCounter(Generic[Key]):
    """Count repeated events per key so that each key is logged once per window.

    `add` returns True for the first event of a key, which the caller logs at once.
    The events of the next `interval_s` seconds are only counted, and `take_due`
    returns the count each window reached once it has ended, so a flood costs one
    line per key every `interval_s` seconds. At most `max_keys` keys are kept; the
    oldest window is dropped first, without a report.
    """

    def __init__(self, interval_s: float, max_keys: int = 10_000) -> None:
        self.interval_s = interval_s
        self.max_keys = max_keys
        # Ordered by window start, because every new window starts at the latest now.
        self._windows: OrderedDict[Key, _Window] = OrderedDict()

    def add(self, key: Key, now: float, detail: object = None) -> bool:
        """Count one event; return True when the caller should log this one."""
        window = self._windows.get(key)
        if window is not None:
            window.count += 1
            window.detail = detail
            return False
        self._windows[key] = _Window(now, 1, detail, first_logged=True)
        if len(self._windows) > self.max_keys:
            self._windows.popitem(last=False)
        return True

    def next_due(self) -> float | None:
        """Return when the oldest window ends, or None when no window is open."""
        for window in self._windows.values():
            return window.started + self.interval_s
        return None

    def take_due(self, now: float) -> list[Repeat[Key]]:
        """Return the count of each window that ended with events not yet logged.

        Such a key gets a new window at once, so a flood keeps being counted. A key
        whose window holds nothing unlogged is dropped, and its next event is
        logged at once again.
        """
        due: list[Repeat[Key]] = []
        while self._windows:
            key, window = next(iter(self._windows.items()))
            if now - window.started < self.interval_s:
                break
            del self._windows[key]
            if window.count > int(window.first_logged):
                due.append(Repeat(key, window.count, window.detail))
                self._windows[key] = _Window(now, 0, window.detail, first_logged=False)
        return due

    def take_all(self) -> list[Repeat[Key]]:
        """Return the count of every window with events not yet logged, and clear."""
        repeats = [
            Repeat(key, window.count, window.detail)
            for key, window in self._windows.items()
            if window.count > int(window.first_logged)
        ]
        self._windows.clear()
        return repeats
