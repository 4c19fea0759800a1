"""Profiles built in code for unit tests of single checks."""

from __future__ import annotations

from pathlib import Path

from app.core.profile import Profile


def bare_profile() -> Profile:
    """Return a profile with no checks, trust settings or thresholds."""
    return Profile(
        name="test",
        path=Path("test.toml"),
        sha256="",
        instance_host="{instance}.ucontact.test",
        concurrency=4,
        deadline_s=12,
        dns_timeout_s=2,
        expected_issuers=(),
        distrusted_roots=(),
        checks=(),
    )
