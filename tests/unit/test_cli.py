"""The command line as a whole process: exit codes, one-sentence errors, reports."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.unit.test_profile import MINIMAL

ROOT = Path(__file__).resolve().parents[2]


def run_cli(*args: str, tmp_path: Path) -> subprocess.CompletedProcess:
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(tmp_path),
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "PYTHONPATH": str(ROOT),
    }
    return subprocess.run(
        [sys.executable, "-m", "app", *args],
        check=False,
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
        env=env,
    )


@pytest.fixture
def quiet_profile(tmp_path):
    """A profile whose only check (DNS, with no hosts) sends no traffic."""
    path = tmp_path / "quiet.toml"
    path.write_text(MINIMAL, encoding="utf-8")
    return path


def assert_one_sentence_error(result: subprocess.CompletedProcess):
    assert result.returncode == 3
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1


@pytest.mark.parametrize("instance", ["", "   ", "acme corp", "https://", "ac_me"])
def test_invalid_instance_exits_3(tmp_path, quiet_profile, instance):
    result = run_cli(
        "run",
        "--instance",
        instance,
        "--profile",
        str(quiet_profile),
        tmp_path=tmp_path,
    )
    assert_one_sentence_error(result)


def test_unreadable_profile_exits_3(tmp_path):
    result = run_cli(
        "run",
        "--instance",
        "acme",
        "--profile",
        str(tmp_path / "no.toml"),
        tmp_path=tmp_path,
    )
    assert_one_sentence_error(result)
    assert "no.toml" in result.stderr


def test_broken_profile_exits_3(tmp_path):
    path = tmp_path / "broken.toml"
    path.write_text(MINIMAL.replace("timeout_s = 2", 'timeout_s = "two"'))
    result = run_cli(
        "run", "--instance", "acme", "--profile", str(path), tmp_path=tmp_path
    )
    assert_one_sentence_error(result)
    assert "timeout_s" in result.stderr


def test_bad_public_roots_exits_3(tmp_path, quiet_profile):
    roots = tmp_path / "roots.pem"
    roots.write_text("not a certificate")
    result = run_cli(
        "run",
        "--instance",
        "acme",
        "--profile",
        str(quiet_profile),
        "--public-roots",
        str(roots),
        tmp_path=tmp_path,
    )
    assert_one_sentence_error(result)


def test_missing_output_folder_exits_3_before_running(tmp_path, quiet_profile):
    result = run_cli(
        "run",
        "--instance",
        "acme",
        "--profile",
        str(quiet_profile),
        "--html",
        str(tmp_path / "absent" / "r.html"),
        tmp_path=tmp_path,
    )
    assert_one_sentence_error(result)
    assert "Checking" not in result.stdout


def test_unknown_option_exits_3(tmp_path):
    result = run_cli("run", "--instance", "acme", "--colour", tmp_path=tmp_path)
    assert result.returncode == 3
    assert "Traceback" not in result.stderr


def test_pasted_url_and_json_to_stdout(tmp_path, quiet_profile):
    result = run_cli(
        "run",
        "--instance",
        "https://acme.example.test/agent",
        "--profile",
        str(quiet_profile),
        "--json",
        "-",
        tmp_path=tmp_path,
    )
    assert result.returncode == 0
    report = json.loads(result.stdout)
    assert report["instance"] == "acme"
    assert report["verdict"]["code"] == "ready"
    assert "PASS" in result.stderr
    assert "Verdict: Ready for calls" in result.stderr


def test_reports_written_and_last_kept(tmp_path, quiet_profile):
    json_path, html_path = tmp_path / "r.json", tmp_path / "r.html"
    result = run_cli(
        "run",
        "--instance",
        "acme",
        "--profile",
        str(quiet_profile),
        "--json",
        str(json_path),
        "--html",
        str(html_path),
        "--redact",
        tmp_path=tmp_path,
    )
    assert result.returncode == 0
    assert json.loads(json_path.read_text())["redacted"] is True
    assert "Ready for calls" in html_path.read_text()
    last = tmp_path / "data" / "ucontact-netcheck" / "last-report.json"
    assert json.loads(last.read_text())["instance"] == "acme"
    assert "Verdict: Ready for calls" in result.stdout


def test_window_without_display_explains(tmp_path):
    result = run_cli(tmp_path=tmp_path)
    assert result.returncode == 3
    assert "ucontact-netcheck run --instance" in result.stderr


def test_window_options_reach_the_window_route(tmp_path):
    result = run_cli(
        "--profile", str(tmp_path / "p.toml"), "--language", "es", tmp_path=tmp_path
    )
    assert result.returncode == 3
    assert "no display found" in result.stderr
    assert "invalid choice" not in result.stderr


def test_invalid_window_language_exits_3(tmp_path):
    result = run_cli("--language", "fr", tmp_path=tmp_path)
    assert result.returncode == 3
    assert "Traceback" not in result.stderr


def test_malformed_certificate_in_public_roots(tmp_path, quiet_profile):
    roots = tmp_path / "roots.pem"
    roots.write_text("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n")
    result = run_cli(
        "run",
        "--instance",
        "acme",
        "--profile",
        str(quiet_profile),
        "--public-roots",
        str(roots),
        tmp_path=tmp_path,
    )
    assert_one_sentence_error(result)
    assert "invalid" in result.stderr


def test_empty_json_name_exits_3(tmp_path, quiet_profile):
    result = run_cli(
        "run",
        "--instance",
        "acme",
        "--profile",
        str(quiet_profile),
        "--json",
        "",
        tmp_path=tmp_path,
    )
    assert_one_sentence_error(result)


def test_same_file_for_both_reports_exits_3(tmp_path, quiet_profile):
    path = str(tmp_path / "report")
    result = run_cli(
        "run",
        "--instance",
        "acme",
        "--profile",
        str(quiet_profile),
        "--json",
        path,
        "--html",
        path,
        tmp_path=tmp_path,
    )
    assert_one_sentence_error(result)
    assert "own file" in result.stderr


def test_closed_pipe_keeps_exit_code(tmp_path, quiet_profile):
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(tmp_path),
        "PYTHONPATH": str(ROOT),
        "XDG_DATA_HOME": str(tmp_path / "data"),
    }
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "app",
            "run",
            "--instance",
            "acme",
            "--profile",
            str(quiet_profile),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=ROOT,
        env=env,
    )
    process.stdout.close()
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 0
    assert b"Traceback" not in stderr
    assert b"BrokenPipeError" not in stderr
