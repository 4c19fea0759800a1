import datetime as dt
import json

import pytest

from app.core.model import CheckResult, CheckSpec, Outcome, Severity, Status, verdict_of
from app.core.profile import load_profile
from app.core.report import (
    REDACTED,
    SCHEMA,
    ReportError,
    build_report,
    redact_report,
    write_html,
    write_json,
)
from app.core.report.html import render_html
from app.core.runner import RunResult
from tests.unit.test_profile import MINIMAL

FACTS = {
    "hostname": "AGENT-PC-07",
    "os": "Linux 6",
    "interfaces": [{"name": "eth0", "addresses": ["192.168.50.2/24", "fe80::1/64"]}],
}


def make_run(tmp_path):
    profile_path = tmp_path / "profile.toml"
    profile_path.write_text(MINIMAL, encoding="utf-8")
    profile = load_profile(profile_path)
    spec = CheckSpec(
        "stun-udp",
        "stun",
        "STUN over UDP",
        "UDP 3478 <open>",
        Severity.REQUIRED,
        "media",
        4,
    )
    results = [
        CheckResult.from_outcome(
            spec,
            Outcome(
                Status.FAIL,
                "No answer from 198.51.100.21:3478 on AGENT-PC-07 <b>.",
                "Allow outbound UDP port 3478 to stun.example.test.",
                {
                    "server": "198.51.100.21:3478",
                    "local": "[2001:db8::5]:5000",
                    "mapped_address": "203.0.113.9:4000",
                    "note": "version 1.2.3",
                },
            ),
            0.5,
        ),
    ]
    now = dt.datetime(2026, 12, 4, 12, 0, tzinfo=dt.UTC)
    run = RunResult(
        "acme",
        now,
        now + dt.timedelta(seconds=2),
        results,
        verdict_of(results),
        facts=dict(FACTS),
    )
    return run, profile


def test_report_has_versioned_schema_and_fields(tmp_path):
    run, profile = make_run(tmp_path)
    report = build_report(run, profile)
    assert report["schema"] == SCHEMA
    assert report["verdict"]["code"] == "not-ready"
    assert report["verdict"]["text"] == "Not ready: 1 problem"
    assert report["verdict"]["exit_code"] == 2
    assert report["profile"]["sha256"] == profile.sha256
    check = report["checks"][0]
    for key in (
        "id",
        "title",
        "requirement",
        "severity",
        "status",
        "summary",
        "remedy",
        "evidence",
        "duration_s",
    ):
        assert key in check
    assert report["counts"]["fail"] == 1
    assert report["cancelled"] is False


def test_redact_removes_hostname_and_addresses(tmp_path):
    run, profile = make_run(tmp_path)
    report = build_report(run, profile, redact=True)
    text = json.dumps(report)
    assert "AGENT-PC-07" not in text
    assert "198.51.100.21" not in text
    assert "203.0.113.9" not in text
    assert "2001:db8::5" not in text
    assert "192.168.50.2" not in text
    assert "fe80::1" not in text
    assert report["machine"]["hostname"] == REDACTED
    assert report["checks"][0]["evidence"]["server"] == f"{REDACTED}:3478"
    assert report["checks"][0]["evidence"]["note"] == "version 1.2.3"
    assert report["redacted"] is True


def test_redact_keeps_server_addresses(tmp_path):
    run, profile = make_run(tmp_path)
    run.server_addresses = {"198.51.100.21"}
    report = build_report(run, profile, redact=True)
    evidence = report["checks"][0]["evidence"]
    assert evidence["server"] == "198.51.100.21:3478"
    assert evidence["mapped_address"] == f"{REDACTED}:4000"
    assert "198.51.100.21:3478" in report["checks"][0]["summary"]
    assert "AGENT-PC-07" not in json.dumps(report)


def test_redact_keeps_instance_and_hosts(tmp_path):
    run, profile = make_run(tmp_path)
    report = redact_report(build_report(run, profile))
    assert report["instance"] == "acme"
    assert "stun.example.test" in report["checks"][0]["remedy"]


def test_json_written_atomically(tmp_path):
    run, profile = make_run(tmp_path)
    target = tmp_path / "out.json"
    target.write_text("old")
    write_json(build_report(run, profile), target)
    assert json.loads(target.read_text())["schema"] == SCHEMA
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".out.json")] == []


def test_write_into_missing_folder_is_one_sentence(tmp_path):
    run, profile = make_run(tmp_path)
    with pytest.raises(ReportError) as caught:
        write_json(build_report(run, profile), tmp_path / "absent" / "out.json")
    assert "Cannot write" in str(caught.value)


def test_html_is_self_contained_and_escaped(tmp_path):
    run, profile = make_run(tmp_path)
    target = tmp_path / "out.html"
    write_html(build_report(run, profile), target)
    html = target.read_text(encoding="utf-8")
    assert "Not ready: 1 problem" in html
    assert "FAIL" in html
    assert "Allow outbound UDP port 3478" in html
    assert "&lt;b&gt;" in html
    assert "<b>." not in html
    assert "<script" not in html
    assert "<link" not in html
    assert "@media print" in html


def test_html_marks_status_with_words(tmp_path):
    run, profile = make_run(tmp_path)
    html = render_html(build_report(run, profile))
    assert "FAIL</span>" in html


def test_write_keeps_a_fifo_a_fifo(tmp_path):
    import os
    import stat
    import threading

    run, profile = make_run(tmp_path)
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received = []
    reader = threading.Thread(
        target=lambda: received.append(fifo.read_bytes()), daemon=True
    )
    reader.start()
    write_json(build_report(run, profile), fifo)
    reader.join(5)
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
    assert json.loads(received[0])["schema"] == SCHEMA


def test_write_follows_a_symlink(tmp_path):
    run, profile = make_run(tmp_path)
    target = tmp_path / "real.json"
    link = tmp_path / "link.json"
    link.symlink_to(target)
    write_json(build_report(run, profile), link)
    assert link.is_symlink()
    assert json.loads(target.read_text())["schema"] == SCHEMA


def test_html_lists_fixes_and_prints_evidence(tmp_path):
    run, profile = make_run(tmp_path)
    html = render_html(build_report(run, profile))
    assert "What to fix" in html
    assert html.index("What to fix") < html.index("About this computer")
    assert "<details open>" in html
    assert "display: none" not in html
    assert "<h2>Media (audio)</h2>" in html


def test_fixes_group_checks_with_one_cause():
    from app.core.report import group_fixes

    dns_fix = "Make acme.example.test resolve on this computer's DNS server."
    checks = [
        {
            "id": "dns",
            "title": "DNS",
            "status": "fail",
            "summary": "s1",
            "remedy": dns_fix,
        },
        {
            "id": "stun",
            "title": "STUN",
            "status": "pass",
            "summary": "s2",
            "remedy": "",
        },
        {
            "id": "https",
            "title": "HTTPS",
            "status": "fail",
            "summary": "s3",
            "remedy": dns_fix + " This check then needs outbound TCP port 443.",
        },
        {
            "id": "udp",
            "title": "UDP",
            "status": "unknown",
            "summary": "s4",
            "remedy": "Allow outbound UDP port 8089 to acme.example.test.",
        },
    ]
    fixes = group_fixes(checks)
    assert [fix["id"] for fix in fixes] == ["dns", "udp"]
    assert [other["id"] for other in fixes[0]["also"]] == ["https"]
    assert fixes[1]["also"] == []
