"""Run checks concurrently under a bound, with per-check timeouts and a run deadline."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from app.core.checks import Check
from app.core.context import RunContext
from app.core.model import (
    CheckResult,
    CheckSpec,
    Outcome,
    Severity,
    Status,
    Verdict,
    verdict_of,
)

log = logging.getLogger(__name__)


class Observer(Protocol):
    """Receives progress; the CLI and the window are two implementations."""

    def check_started(self, spec: CheckSpec) -> None: ...

    def check_finished(self, result: CheckResult) -> None: ...


class NullObserver:
    def check_started(self, spec: CheckSpec) -> None:
        pass

    def check_finished(self, result: CheckResult) -> None:
        pass


@dataclass
class RunResult:
    instance: str
    started: dt.datetime
    finished: dt.datetime
    results: list[CheckResult]
    verdict: Verdict
    cancelled: bool = False
    facts: dict[str, Any] = field(default_factory=dict)
    # Addresses of the servers the checks used, which --redact keeps.
    server_addresses: set[str] = field(default_factory=set)


async def run_check(check: Check, ctx: RunContext) -> CheckResult:
    """Run one check within its timeout; a bug inside it becomes a grey result."""
    spec = check.spec
    started = time.perf_counter()
    try:
        async with asyncio.timeout(spec.timeout_s):
            outcome = await check.run(ctx)
    except TimeoutError:
        outcome = Outcome(
            Status.UNKNOWN,
            f"The check did not finish within its {spec.timeout_s:g} s timeout, so it "
            "could not be verified.",
            f"Run the check again; if it repeats, send this report to the helpdesk. "
            f"{_hosts_hint(check)}",
            {"timeout_s": spec.timeout_s},
        )
    except Exception as exc:  # a check bug must not lose the run
        log.exception("check %s raised", spec.id)
        outcome = Outcome(
            Status.UNKNOWN,
            f"The check stopped with an internal error ({type(exc).__name__}), so it "
            "could not be verified.",
            "Send this report and the log file to the helpdesk.",
            {"error": f"{type(exc).__name__}: {exc}"},
        )
    return CheckResult.from_outcome(spec, outcome, time.perf_counter() - started)


def _hosts_hint(check: Check) -> str:
    hosts = check.hosts()
    return f"Hosts involved: {', '.join(hosts)}." if hosts else ""


def _deadline_result(check: Check, deadline_s: float) -> CheckResult:
    outcome = Outcome(
        Status.UNKNOWN,
        f"The run reached its {deadline_s:g} s deadline before this check finished.",
        f"Run the checks again. {_hosts_hint(check)}".strip(),
        {"deadline_s": deadline_s},
    )
    return CheckResult.from_outcome(check.spec, outcome, deadline_s)


async def run_checks(
    checks: Sequence[Check],
    ctx: RunContext,
    observer: Observer | None = None,
) -> list[CheckResult]:
    """Run `checks` and return their results in profile order.

    At most `profile.concurrency` run at once. Checks still running at the deadline
    are cancelled and reported grey. Cancelling the caller cancels every check and
    waits for them, so no task or socket outlives the call.
    """
    observer = observer or NullObserver()
    profile = ctx.profile
    for check in checks:
        for host in check.hosts():
            if ctx.hosts.get(host) != Severity.REQUIRED.value:
                ctx.hosts[host] = check.spec.severity.value

    bound = asyncio.Semaphore(profile.concurrency)
    results: dict[str, CheckResult] = {}

    async def guarded(check: Check) -> None:
        async with bound:
            _notify(observer.check_started, check.spec)
            result = await run_check(check, ctx)
        results[check.spec.id] = result
        _notify(observer.check_finished, result)

    tasks = [asyncio.create_task(guarded(c), name=f"check-{c.spec.id}") for c in checks]
    try:
        await asyncio.wait(tasks, timeout=profile.deadline_s)
    finally:
        for task in tasks:
            task.cancel()
        ctx.close()
        await asyncio.gather(*tasks, return_exceptions=True)

    for check in checks:
        if check.spec.id not in results:
            result = _deadline_result(check, profile.deadline_s)
            results[check.spec.id] = result
            _notify(observer.check_finished, result)
    return [results[c.spec.id] for c in checks]


def _notify(callback: Any, argument: Any) -> None:
    """Call an observer method; an observer's error is logged and never stops a run."""
    try:
        callback(argument)
    except Exception:
        log.exception("observer %s failed", getattr(callback, "__qualname__", callback))


async def run_profile(
    ctx: RunContext, checks: Sequence[Check], observer: Observer | None = None
) -> RunResult:
    started = dt.datetime.now(dt.UTC)
    results = await run_checks(checks, ctx, observer)
    finished = dt.datetime.now(dt.UTC)
    return RunResult(ctx.instance, started, finished, results, verdict_of(results))
