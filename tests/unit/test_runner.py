"""The runner's bound, timeouts, deadline and cancellation, with in-process checks."""

import asyncio
import os
import socket
from dataclasses import replace

import pytest

from app.core.checks import Check
from app.core.context import RunContext
from app.core.model import (
    CheckSpec,
    Outcome,
    Severity,
    Status,
    Verdict,
    verdict_of,
)
from app.core.profile import load_profile
from app.core.runner import run_checks
from tests.unit.test_profile import MINIMAL


@pytest.fixture
def profile(tmp_path):
    path = tmp_path / "profile.toml"
    run_table = "[run]\nconcurrency = 2\ndeadline_s = 1\n\n[[check]]"
    path.write_text(MINIMAL.replace("[[check]]", run_table, 1), encoding="utf-8")
    return load_profile(path)


def spec(
    check_id: str, timeout_s: float = 5.0, severity=Severity.REQUIRED
) -> CheckSpec:
    return CheckSpec(
        id=check_id,
        kind="test",
        title=check_id,
        requirement="r",
        severity=severity,
        group="media",
        timeout_s=timeout_s,
    )


class SleepCheck(Check):
    kind = "test-sleep"
    running = 0
    peak = 0

    def __init__(self, spec, profile, seconds: float, status=Status.PASS):
        super().__init__(spec, profile)
        self.seconds = seconds
        self.status = status

    async def run(self, ctx):
        SleepCheck.running += 1
        SleepCheck.peak = max(SleepCheck.peak, SleepCheck.running)
        try:
            await asyncio.sleep(self.seconds)
        finally:
            SleepCheck.running -= 1
        return Outcome(self.status, "slept", "Allow UDP port 1 to example.test.")


class RaisingCheck(Check):
    kind = "test-raise"

    async def run(self, ctx):
        raise RuntimeError("bug")


class SocketCheck(Check):
    """Holds a real loopback connection open until cancelled."""

    kind = "test-socket"

    async def run(self, ctx):
        reader, writer = await asyncio.open_connection(
            "127.0.0.1", self.spec.params["port"]
        )
        try:
            await reader.read(1)
            return Outcome(Status.PASS, "closed")
        finally:
            writer.close()


class Recorder:
    def __init__(self):
        self.started = []
        self.finished = []

    def check_started(self, spec):
        self.started.append(spec.id)

    def check_finished(self, result):
        self.finished.append(result.id)


async def test_concurrency_bound_holds(profile):
    SleepCheck.peak = 0
    checks = [SleepCheck(spec(f"c{i}"), profile, 0.05) for i in range(6)]
    results = await run_checks(checks, RunContext(profile, "acme"))
    assert SleepCheck.peak == 2
    assert [r.status for r in results] == [Status.PASS] * 6


async def test_results_keep_profile_order(profile):
    checks = [
        SleepCheck(spec("slow"), profile, 0.1),
        SleepCheck(spec("fast"), profile, 0),
    ]
    results = await run_checks(checks, RunContext(profile, "acme"))
    assert [r.id for r in results] == ["slow", "fast"]


async def test_check_timeout_gives_unknown(profile):
    checks = [SleepCheck(spec("stuck", timeout_s=0.05), profile, 10)]
    [result] = await run_checks(checks, RunContext(profile, "acme"))
    assert result.status is Status.UNKNOWN
    assert "timeout" in result.summary
    assert result.remedy


async def test_deadline_stops_the_run(profile):
    checks = [
        SleepCheck(spec("long", timeout_s=30), profile, 30),
        SleepCheck(spec("quick"), profile, 0),
    ]
    loop = asyncio.get_running_loop()
    started = loop.time()
    results = await run_checks(checks, RunContext(profile, "acme"))
    elapsed = loop.time() - started
    assert elapsed < 3
    assert results[0].status is Status.UNKNOWN
    assert "deadline" in results[0].summary
    assert results[1].status is Status.PASS
    assert SleepCheck.running == 0


async def test_check_bug_becomes_unknown(profile):
    checks = [RaisingCheck(spec("bug"), profile), SleepCheck(spec("ok"), profile, 0)]
    results = await run_checks(checks, RunContext(profile, "acme"))
    assert results[0].status is Status.UNKNOWN
    assert "RuntimeError" in results[0].evidence["error"]
    assert results[1].status is Status.PASS


async def test_recommended_failure_is_a_warning(profile):
    checks = [
        SleepCheck(spec("gh", severity=Severity.RECOMMENDED), profile, 0, Status.FAIL)
    ]
    [result] = await run_checks(checks, RunContext(profile, "acme"))
    assert result.status is Status.WARN
    assert result.evidence["measured_status"] == "fail"
    assert verdict_of([result]) is Verdict.WARNINGS


async def test_observer_sees_every_check(profile):
    recorder = Recorder()
    checks = [
        SleepCheck(spec("a"), profile, 0),
        SleepCheck(spec("b", timeout_s=0.01), profile, 1),
    ]
    await run_checks(checks, RunContext(profile, "acme"), recorder)
    assert sorted(recorder.started) == ["a", "b"]
    assert sorted(recorder.finished) == ["a", "b"]


def _open_fds() -> int:
    return len(os.listdir("/proc/self/fd"))


async def test_cancellation_leaves_no_task_or_socket(profile):
    server = socket.create_server(("127.0.0.1", 0))
    port = server.getsockname()[1]
    accepted = []

    async def accept_all():
        loop = asyncio.get_running_loop()
        server.setblocking(False)
        while True:
            conn, _ = await loop.sock_accept(server)
            accepted.append(conn)

    acceptor = asyncio.create_task(accept_all())
    fds_before = _open_fds()
    checks = [SocketCheck(spec(f"s{i}"), profile) for i in range(2)]
    for check in checks:
        check.spec = replace(check.spec, params={"port": port})
    run = asyncio.create_task(run_checks(checks, RunContext(profile, "acme")))
    while len(accepted) < 2:
        await asyncio.sleep(0.01)
    run.cancel()
    with pytest.raises(asyncio.CancelledError):
        await run
    await asyncio.sleep(0)
    acceptor.cancel()
    await asyncio.gather(acceptor, return_exceptions=True)

    leftover = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
    assert leftover == []
    assert _open_fds() == fds_before + len(accepted)
    for conn in accepted:
        conn.close()
    server.close()


def test_verdict_rules():
    def result(status, severity=Severity.REQUIRED):
        from app.core.model import CheckResult

        return CheckResult.from_outcome(
            spec("x", severity=severity), Outcome(status, "s", "r"), 0
        )

    assert verdict_of([result(Status.PASS)]) is Verdict.READY
    assert verdict_of([result(Status.PASS), result(Status.UNKNOWN)]) is Verdict.WARNINGS
    assert verdict_of([result(Status.WARN)]) is Verdict.WARNINGS
    assert verdict_of([result(Status.FAIL), result(Status.WARN)]) is Verdict.NOT_READY
    assert verdict_of([result(Status.FAIL, Severity.RECOMMENDED)]) is Verdict.WARNINGS
