"""Reports: a versioned JSON document and a self-contained HTML page with the same content."""

from __future__ import annotations

import ipaddress
import json
import os
import re
import tempfile
from collections.abc import Collection
from pathlib import Path
from typing import Any

from app import __version__
from app.core.model import VERDICT_TEXT, Status, Verdict, problem_count
from app.core.paths import builtin_profile_path, user_data_dir
from app.core.profile import Profile
from app.core.runner import RunResult

SCHEMA = "ucontact-netcheck/report/1"
REDACTED = "[redacted]"
LAST_REPORT_NAME = "last-report.json"

EXIT_CODES = {Verdict.READY: 0, Verdict.WARNINGS: 1, Verdict.NOT_READY: 2}


class ReportError(Exception):
    """A report could not be written; the message is one sentence for the user."""


def verdict_text(verdict: Verdict, problems: int) -> str:
    if verdict is Verdict.NOT_READY:
        noun = "problem" if problems == 1 else "problems"
        return f"{VERDICT_TEXT[verdict]}: {problems} {noun}"
    return VERDICT_TEXT[verdict]


def build_report(
    run: RunResult, profile: Profile, *, redact: bool = False
) -> dict[str, Any]:
    """Return the report document; with `redact`, hostname and addresses are removed."""
    problems = problem_count(run.results)
    counts = {status.value: 0 for status in Status}
    for result in run.results:
        counts[result.status.value] += 1
    report: dict[str, Any] = {
        "schema": SCHEMA,
        "tool": {"name": "ucontact-netcheck", "version": __version__},
        "started": run.started.isoformat(timespec="seconds"),
        "finished": run.finished.isoformat(timespec="seconds"),
        "duration_s": round((run.finished - run.started).total_seconds(), 3),
        "instance": run.instance,
        "profile": {
            "name": profile.name,
            "sha256": profile.sha256,
            "builtin": profile.path.resolve() == builtin_profile_path().resolve(),
        },
        "machine": dict(run.facts),
        "verdict": {
            "code": run.verdict.value,
            "text": verdict_text(run.verdict, problems),
            "problems": problems,
            "exit_code": EXIT_CODES[run.verdict],
        },
        "counts": counts,
        # True for a run stopped by the user; its verdict covers the checks that ran.
        "cancelled": run.cancelled,
        "redacted": redact,
        "checks": [
            {
                "id": r.id,
                "title": r.title,
                "group": r.group,
                "requirement": r.requirement,
                "severity": r.severity.value,
                "status": r.status.value,
                "summary": r.summary,
                "remedy": r.remedy,
                "evidence": _jsonable(r.evidence),
                "duration_s": r.duration_s,
            }
            for r in run.results
        ],
    }
    report["fixes"] = group_fixes(report["checks"])
    if redact:
        report = redact_report(report, keep=run.server_addresses)
    return report


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")


def group_fixes(checks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Return the fixes of the non-green checks, in check order, one per cause.

    Checks whose remedies open with the same sentence share a cause (a name that
    does not resolve fails every check of that host), so they become one entry:
    the first check's remedy, with the others listed under `also`.
    """
    fixes: list[dict[str, Any]] = []
    by_cause: dict[str, dict[str, Any]] = {}
    for check in checks:
        if check["status"] == Status.PASS.value:
            continue
        cause = _SENTENCE_END.split(check["remedy"], maxsplit=1)[0]
        entry = by_cause.get(cause) if cause else None
        if entry is not None:
            entry["also"].append({key: check[key] for key in ("id", "title", "status")})
            continue
        entry = {
            "id": check["id"],
            "title": check["title"],
            "status": check["status"],
            "summary": check["summary"],
            "remedy": check["remedy"],
            "also": [],
        }
        fixes.append(entry)
        if cause:
            by_cause[cause] = entry
    return fixes


def _jsonable(value: Any) -> Any:
    """Return `value` made of JSON types only, so a report can always be written."""
    return json.loads(json.dumps(value, default=str))


_ADDRESS_TOKEN = re.compile(r"[0-9A-Fa-f:.]*[:.][0-9A-Fa-f:.]*")


def redact_text(text: str, hostname: str, keep: Collection[str]) -> str:
    def replace(match: re.Match[str]) -> str:
        token = match.group(0)
        candidates = (
            [token, token.rsplit(":", 1)[0]] if token.count(":") == 1 else [token]
        )
        for candidate in candidates:
            try:
                address = ipaddress.ip_address(candidate.strip("[]"))
            except ValueError:
                continue
            if str(address) in keep:
                return token
            return token.replace(candidate, REDACTED, 1)
        return token

    if hostname:
        text = re.sub(re.escape(hostname), REDACTED, text, flags=re.IGNORECASE)
    return _ADDRESS_TOKEN.sub(replace, text)


def redact_report(report: dict[str, Any], keep: Collection[str] = ()) -> dict[str, Any]:
    """Remove this computer's hostname and the IP addresses of this side of the path.

    Addresses in `keep` (the servers the checks used, as DNS returned them or as the
    profile names them) stay, so remedies still name their targets. Everything else,
    interface, NAT-mapped, DNS server and router addresses, is replaced.
    """
    hostname = str(report.get("machine", {}).get("hostname") or "")

    def walk(value: Any) -> Any:
        if isinstance(value, dict):
            return {
                redact_text(key, hostname, keep) if isinstance(key, str) else key: walk(
                    item
                )
                for key, item in value.items()
            }
        if isinstance(value, list):
            return [walk(item) for item in value]
        if isinstance(value, str):
            return redact_text(value, hostname, keep)
        return value

    redacted = walk(report)
    if "machine" in redacted:
        redacted["machine"]["hostname"] = REDACTED
    return redacted


def write_atomic(path: Path, data: bytes) -> None:
    """Write `data` to `path` through a temporary file in the same folder and a rename.

    A symbolic link is followed, so the link stays. A target that exists and is not a
    regular file (/dev/null, a FIFO, a terminal) is written directly, because a rename
    would replace the device or pipe with a plain file.
    """
    path = path.resolve()
    if path.exists() and not path.is_file():
        try:
            with path.open("wb") as handle:
                handle.write(data)
        except OSError as exc:
            raise ReportError(
                f"Cannot write {path}: {exc.strerror or exc}; choose a folder you can "
                "write to."
            ) from None
        return
    folder = path.parent
    try:
        descriptor, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", dir=folder)
    except OSError as exc:
        raise ReportError(
            f"Cannot write {path}: {exc.strerror or exc}; choose a folder you can write to."
        ) from None
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp_name, path)
    except OSError as exc:
        Path(temp_name).unlink(missing_ok=True)
        raise ReportError(
            f"Cannot write {path}: {exc.strerror or exc}; choose a folder you can write to."
        ) from None


def json_text(report: dict[str, Any]) -> str:
    return json.dumps(report, indent=2, ensure_ascii=False) + "\n"


def write_json(report: dict[str, Any], path: Path) -> None:
    write_atomic(path, json_text(report).encode("utf-8"))


def write_html(report: dict[str, Any], path: Path) -> None:
    from app.core.report.html import render_html

    write_atomic(path, render_html(report).encode("utf-8"))


def save_last_report(report: dict[str, Any]) -> Path:
    """Keep a copy of the report in the user data folder and return its path."""
    folder = user_data_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ReportError(
            f"Cannot create {folder}: {exc.strerror or exc}; check its permissions."
        ) from None
    path = folder / LAST_REPORT_NAME
    write_json(report, path)
    return path
