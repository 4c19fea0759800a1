"""The window driven through real runs in the network lab (needs root).

The GUI thread stays in the test's namespace; only the window's check thread moves into
the lab's agent namespace (libc setns moves the calling thread alone). Files such as
/etc/resolv.conf keep the host's view in that thread, so the run gets the lab resolver
explicitly.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import dns.asyncresolver
import pytest
from PySide6.QtCore import Qt

from app.core.model import Status, problem_count
from app.core.resolve import HostResolver
from app.core.session import Plan, prepare
from app.gui.lights import Light
from app.gui.window import MainWindow, State
from app.gui.worker import RunWorker
from tests.gui.conftest import save_screenshot
from tests.gui.threadns import enter_namespace
from tests.lab import netns
from tests.lab.files import ACME_HOST
from tests.lab.lab import HEALTHY, Lab, Scenario

pytestmark = pytest.mark.lab

RUN_WAIT_MS = 40_000


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    assert os.geteuid() == 0, "the lab needs root for network namespaces"
    lab = Lab(f"ucg{os.getpid() % 100000}", tmp_path_factory.mktemp("lab"))
    try:
        lab.start()
        yield lab
    finally:
        lab.stop()


@pytest.fixture
def lab_window(lab: Lab, make_window, monkeypatch: pytest.MonkeyPatch) -> MainWindow:
    files = lab.files
    assert files is not None
    monkeypatch.setenv("SSL_CERT_FILE", str(files.os_store))
    monkeypatch.setenv("SSL_CERT_DIR", str(files.empty_cert_dir))

    def plans(instance_text: str) -> Plan:
        plan = prepare(instance_text, files.profile, files.public_roots)
        resolver = dns.asyncresolver.Resolver(configure=False)
        resolver.nameservers = [netns.DNS_IP]
        plan.context.resolver = HostResolver(plan.profile.dns_timeout_s, resolver)
        return plan

    worker = RunWorker(thread_setup=enter_namespace(lab.agent))
    window = make_window(plans, worker=worker)
    window.instance.setText("acme")
    return window


def run_in(qtbot: Any, window: MainWindow, lab: Lab, scenario: Scenario) -> None:
    lab.apply(scenario)
    qtbot.mouseClick(window.run_button, Qt.MouseButton.LeftButton)
    assert window.cancel_button.isEnabled()
    qtbot.waitUntil(lambda: window.state == State.IDLE, timeout=RUN_WAIT_MS)
    assert window.run_result is not None


def statuses(window: MainWindow) -> dict[str, Status]:
    assert window.run_result is not None
    return {result.id: result.status for result in window.run_result.results}


def assert_lights_match(window: MainWindow) -> None:
    for check_id, status in statuses(window).items():
        assert window.checks.light_of(check_id) is Light.of(status), check_id


def test_lab_healthy_ready(
    qtbot, lab: Lab, lab_window: MainWindow, tmp_path: Path
) -> None:
    run_in(qtbot, lab_window, lab, HEALTHY)
    save_screenshot(lab_window, "lab-healthy")
    not_green = {k: v for k, v in statuses(lab_window).items() if v is not Status.PASS}
    assert not_green == {}
    assert lab_window.banner.text() == "Ready for calls"
    assert_lights_match(lab_window)

    assert lab_window.export_to(tmp_path / "lab.pdf")
    assert (tmp_path / "lab.pdf").stat().st_size > 1000


def test_lab_udp_3478_dropped(qtbot, lab: Lab, lab_window: MainWindow) -> None:
    run_in(qtbot, lab_window, lab, Scenario(firewall=("udp dport 3478 drop",)))
    save_screenshot(lab_window, "lab-udp-3478-dropped")
    found = statuses(lab_window)
    assert found["stun-udp"] is Status.FAIL
    assert found["ice"] is Status.FAIL
    assert found["stun-tcp"] is Status.PASS
    assert_lights_match(lab_window)
    problems = problem_count(lab_window.run_result.results)
    assert lab_window.banner.text() == f"Not ready: {problems} problems"
    assert lab_window.checks.group_light("media") is Light.FAIL
    assert lab_window.checks.group_light("signalling") is Light.PASS


def test_lab_nxdomain_spanish(qtbot, lab: Lab, lab_window: MainWindow) -> None:
    lab_window.language_actions["es"].trigger()
    run_in(qtbot, lab_window, lab, Scenario(dns_omitted=(ACME_HOST,)))
    save_screenshot(lab_window, "lab-nxdomain-spanish")
    found = statuses(lab_window)
    for check_id in ("dns", "https", "sip-wss", "tls-443", "tls-8089"):
        assert found[check_id] is Status.FAIL, check_id
    assert_lights_match(lab_window)
    problems = problem_count(lab_window.run_result.results)
    assert lab_window.banner.text() == f"No está listo: {problems} problemas"
    assert lab_window.details.heading.text() == "Resolución de nombres"
    assert lab_window.details.summary.text().startswith("1 de ")
    assert "NXDOMAIN" in lab_window.details.summary.text()
