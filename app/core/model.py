"""Check results, statuses and the verdict rule."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Status(StrEnum):
    """Traffic light of one check. UNKNOWN (grey) means not verified and is never green."""

    PASS = "pass"
    WARN = "warn"
    FAIL = "fail"
    UNKNOWN = "unknown"


class Severity(StrEnum):
    REQUIRED = "required"
    RECOMMENDED = "recommended"


class Verdict(StrEnum):
    READY = "ready"
    WARNINGS = "warnings"
    NOT_READY = "not-ready"


# The word shown beside each light, so colour is never the only signal.
STATUS_WORDS = {
    Status.PASS: "PASS",
    Status.WARN: "WARNING",
    Status.FAIL: "FAIL",
    Status.UNKNOWN: "NOT VERIFIED",
}

VERDICT_TEXT = {
    Verdict.READY: "Ready for calls",
    Verdict.WARNINGS: "Ready, with warnings",
    Verdict.NOT_READY: "Not ready",
}


@dataclass(frozen=True)
class Outcome:
    """What a check measured: its status, one-sentence summary, remedy and evidence."""

    status: Status
    summary: str
    remedy: str = ""
    evidence: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class CheckSpec:
    """One check as the profile declares it, with `{instance}` already substituted."""

    id: str
    kind: str
    title: str
    requirement: str
    severity: Severity
    group: str
    timeout_s: float
    params: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class CheckResult:
    id: str
    title: str
    requirement: str
    severity: Severity
    group: str
    status: Status
    summary: str
    remedy: str
    evidence: Mapping[str, Any]
    duration_s: float

    @classmethod
    def from_outcome(
        cls, spec: CheckSpec, outcome: Outcome, duration_s: float
    ) -> CheckResult:
        """Build the result, showing a failed recommended check as a warning.

        A recommended requirement that is not met does not stop calls, so it is yellow,
        not red; the evidence keeps the measured status.
        """
        status = outcome.status
        evidence = dict(outcome.evidence)
        if spec.severity is Severity.RECOMMENDED and status is Status.FAIL:
            status = Status.WARN
            evidence.setdefault("measured_status", Status.FAIL.value)
        return cls(
            id=spec.id,
            title=spec.title,
            requirement=spec.requirement,
            severity=spec.severity,
            group=spec.group,
            status=status,
            summary=outcome.summary,
            remedy=outcome.remedy if status is not Status.PASS else "",
            evidence=evidence,
            duration_s=round(duration_s, 4),
        )


def verdict_of(results: Iterable[CheckResult]) -> Verdict:
    """Return "not ready" if a required check failed, "warnings" if any is not green."""
    statuses = [(r.severity, r.status) for r in results]
    if any(sev is Severity.REQUIRED and st is Status.FAIL for sev, st in statuses):
        return Verdict.NOT_READY
    if any(st is not Status.PASS for _, st in statuses):
        return Verdict.WARNINGS
    return Verdict.READY


def problem_count(results: Iterable[CheckResult]) -> int:
    """Count the required checks that failed, the "N problems" of a not-ready verdict."""
    return sum(
        1
        for r in results
        if r.severity is Severity.REQUIRED and r.status is Status.FAIL
    )
