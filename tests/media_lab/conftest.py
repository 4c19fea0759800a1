"""Fixtures of the media lab: one lab per test session, the healthy state per test."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.lab import netns
from tests.media_lab.medialab import MediaLab


def _unavailable() -> str | None:
    if os.geteuid() != 0:
        return "the media lab needs root for network namespaces"
    missing = netns.missing_tools()
    if missing:
        return f"the media lab needs these tools: {', '.join(missing)}"
    return netns.netns_unavailable_reason()


@pytest.fixture(scope="session")
def media_lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MediaLab]:
    reason = _unavailable()
    if reason:
        pytest.skip(reason)
    lab = MediaLab(f"ucm{os.getpid() % 100000}", tmp_path_factory.mktemp("media-lab"))
    try:
        lab.start()
        yield lab
    finally:
        lab.stop()


@pytest.fixture
def lab(media_lab: MediaLab) -> Iterator[MediaLab]:
    """The lab in its healthy state: responder up, no firewall rule, plain masquerade."""
    media_lab.set_firewall([])
    media_lab.start_responder()
    yield media_lab
    media_lab.set_firewall([])
    media_lab.set_masquerade()


@pytest.fixture
def profile_path(tmp_path: Path) -> Path:
    return tmp_path / "media-lab.toml"
