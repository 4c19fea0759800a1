"""The report of a cancelled run: its finished results, the other checks as not run."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from app.core.machine import machine_facts
from app.core.model import CheckResult, CheckSpec, Outcome, Status, verdict_of
from app.core.report import build_report
from app.core.runner import RunResult
from app.core.session import Plan

NOT_RUN_SUMMARY = "The run was cancelled before this check finished."
NOT_RUN_REMEDY = "Run the checks again."


def incomplete_verdict_text(finished: int, total: int) -> str:
    """Return the English verdict line of a cancelled run's report."""
    return f"Incomplete (cancelled): {finished} of {total} checks finished, no verdict"


def cancelled_run(
    plan: Plan,
    specs: Sequence[CheckSpec],
    results: Mapping[str, CheckResult],
    started: dt.datetime,
) -> RunResult:
    """Return a RunResult of the finished `results`, in the order of `specs`.

    A check without a result becomes grey (unknown) with a summary saying that the
    run was cancelled, the way the runner reports checks cut by its deadline.
    """
    ordered = []
    for spec in specs:
        result = results.get(spec.id)
        if result is None:
            outcome = Outcome(
                Status.UNKNOWN, NOT_RUN_SUMMARY, NOT_RUN_REMEDY, {"cancelled": True}
            )
            result = CheckResult.from_outcome(spec, outcome, 0.0)
        ordered.append(result)
    return RunResult(
        plan.instance,
        started,
        dt.datetime.now(dt.UTC),
        ordered,
        verdict_of(ordered),
        cancelled=True,
        facts=machine_facts(),
    )


def cancelled_report(
    plan: Plan,
    specs: Sequence[CheckSpec],
    results: Mapping[str, CheckResult],
    started: dt.datetime,
) -> dict[str, Any]:
    """Build the report of a cancelled run, marked as incomplete in its verdict text.

    The report's `cancelled` key is True and `finished_checks` counts the checks
    that finished. The verdict code is computed over every check, the grey ones not
    run included, so it is "not-ready" when a finished required check failed and
    "warnings" otherwise.
    """
    run = cancelled_run(plan, specs, results, started)
    report = build_report(run, plan.profile)
    finished = sum(1 for spec in specs if spec.id in results)
    report["finished_checks"] = finished
    report["verdict"]["text"] = incomplete_verdict_text(finished, len(specs))
    return report
