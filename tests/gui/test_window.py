"""The window driven through real runs against loopback servers (dnsmasq, aiohttp)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, QSettings, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QLineEdit, QPushButton

from app.core.model import Status
from app.gui.lights import Light
from app.gui.partial import NOT_RUN_SUMMARY
from app.gui.window import MainWindow, State
from tests.gui.conftest import (
    ARTIFACTS,
    DNS_CHECK,
    HOST,
    MISSING,
    free_port,
    loopback_plans,
    save_screenshot,
    web_check,
    write_profile,
)

RUN_WAIT_MS = 20_000
ROOT = Path(__file__).resolve().parents[2]


def healthy_profile(tmp_path: Path, port: int) -> Path:
    return write_profile(
        tmp_path / "healthy.toml",
        [
            DNS_CHECK,
            web_check("monitor", f"https://{HOST}:{port}/", title="Monitoring service"),
            web_check("licence", f"https://{HOST}:{port}/", title="Licence server"),
        ],
    )


def failing_profile(tmp_path: Path, port: int) -> Path:
    closed = free_port()
    return write_profile(
        tmp_path / "failing.toml",
        [
            DNS_CHECK,
            web_check("monitor", f"https://{HOST}:{port}/", title="Monitoring service"),
            web_check("licence", f"https://{MISSING}:{port}/", title="Licence server"),
            web_check(
                "updates",
                f"https://127.0.0.1:{closed}/",
                severity="recommended",
                title="Updates from GitHub",
            ),
        ],
    )


def slow_profile(tmp_path: Path, port: int) -> Path:
    return write_profile(
        tmp_path / "slow.toml",
        [
            DNS_CHECK,
            web_check("slow", f"https://{HOST}:{port}/slow", timeout_s=60),
        ],
        deadline_s=120,
    )


def run_to_end(qtbot: Any, window: MainWindow) -> None:
    qtbot.mouseClick(window.run_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.state == State.IDLE, timeout=RUN_WAIT_MS)


@pytest.fixture
def healthy_window(make_window, tmp_path, stores, dns_port, https_server):
    profile = healthy_profile(tmp_path, https_server)
    window = make_window(loopback_plans(profile, stores, dns_port))
    window.instance.setText("acme")
    return window


def test_buttons_before_run(healthy_window: MainWindow) -> None:
    assert healthy_window.run_button.isEnabled()
    assert not healthy_window.cancel_button.isEnabled()
    assert not healthy_window.export_button.isEnabled()
    assert not healthy_window.copy_summary_button.isEnabled()


def test_healthy_run_ready(qtbot, healthy_window: MainWindow) -> None:
    window = healthy_window
    qtbot.mouseClick(window.run_button, Qt.MouseButton.LeftButton)
    assert window.state == State.RUNNING
    assert not window.run_button.isEnabled()
    assert window.cancel_button.isEnabled()
    assert not window.instance.isEnabled()
    assert not window.export_button.isEnabled()

    qtbot.waitUntil(lambda: window.state == State.IDLE, timeout=RUN_WAIT_MS)
    save_screenshot(window, "dashboard-healthy")

    assert window.banner.text() == "Ready for calls"
    assert window.run_result is not None
    for result in window.run_result.results:
        assert result.status is Status.PASS, f"{result.id}: {result.summary}"
        assert window.checks.light_of(result.id) is Light.PASS
    assert window.progress.value() == 3
    assert window.run_button.isEnabled()
    assert not window.cancel_button.isEnabled()
    assert window.export_button.isEnabled()
    assert window.copy_summary_button.isEnabled()


def test_failing_run_lights_match(
    qtbot, make_window, tmp_path, stores, dns_port, https_server
) -> None:
    profile = failing_profile(tmp_path, https_server)
    window = make_window(loopback_plans(profile, stores, dns_port))
    window.instance.setText("acme")
    run_to_end(qtbot, window)
    save_screenshot(window, "dashboard-failing")

    assert window.run_result is not None
    statuses = {r.id: r.status for r in window.run_result.results}
    assert statuses == {
        "dns": Status.FAIL,
        "monitor": Status.PASS,
        "licence": Status.FAIL,
        "updates": Status.WARN,
    }
    for check_id, status in statuses.items():
        assert window.checks.light_of(check_id) is Light.of(status)
    assert window.banner.text() == "Not ready: 2 problems"
    assert window.checks.group_light("services") is Light.FAIL
    assert window.checks.group_light("this computer") is Light.FAIL


def test_groups_follow_profile_order(
    qtbot, make_window, tmp_path, stores, dns_port, https_server
) -> None:
    profile = failing_profile(tmp_path, https_server)
    window = make_window(loopback_plans(profile, stores, dns_port))
    window.instance.setText("acme")
    run_to_end(qtbot, window)
    groups = [
        window.checks.topLevelItem(i).text(1)
        for i in range(window.checks.topLevelItemCount())
    ]
    assert groups == ["This computer", "Services"]

    page = tmp_path / "report.html"
    assert window.export_to(page)
    html = page.read_text(encoding="utf-8")
    assert html.index("<h2>This computer</h2>") < html.index("<h2>Services</h2>")


def test_failing_run_details_and_copy(
    qtbot, make_window, tmp_path, stores, dns_port, https_server
) -> None:
    profile = failing_profile(tmp_path, https_server)
    window = make_window(loopback_plans(profile, stores, dns_port))
    window.instance.setText("acme")
    run_to_end(qtbot, window)

    # The first red check is selected after the run.
    assert window.details.heading.text() == "Name resolution"
    assert MISSING in window.details.summary.text()
    assert window.details.copy_remedy.isVisible()
    qtbot.mouseClick(window.details.copy_remedy, Qt.MouseButton.LeftButton)
    copied = QGuiApplication.clipboard().text()
    assert MISSING in copied
    assert "53" in copied

    window.checks.select_check("updates")
    assert window.details.status_word.text() == "Warning"
    evidence = json.loads(window.details.evidence.toPlainText())
    assert evidence.get("measured_status") == "fail"


def test_copy_summary_lists_checks(qtbot, healthy_window: MainWindow) -> None:
    run_to_end(qtbot, healthy_window)
    qtbot.mouseClick(healthy_window.copy_summary_button, Qt.MouseButton.LeftButton)
    text = QGuiApplication.clipboard().text()
    assert "Ready for calls" in text
    assert "[Passed] Monitoring service" in text
    assert "Instance: acme" in text


def test_cancel_stops_run(
    qtbot, make_window, tmp_path, stores, dns_port, https_server
) -> None:
    profile = slow_profile(tmp_path, https_server)
    window = make_window(loopback_plans(profile, stores, dns_port))
    window.instance.setText("acme")
    qtbot.mouseClick(window.run_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: window.checks.light_of("slow") is Light.RUNNING, timeout=5000
    )

    started = time.monotonic()
    qtbot.mouseClick(window.cancel_button, Qt.MouseButton.LeftButton)
    assert not window.cancel_button.isEnabled()
    qtbot.waitUntil(lambda: window.state == State.IDLE, timeout=5000)
    assert time.monotonic() - started < 3

    assert window.banner.text() == "Cancelled: no verdict. Run the checks again."
    assert window.checks.light_of("slow") is Light.SKIPPED
    assert window.run_button.isEnabled()


def test_cancelled_run_exported_incomplete(
    qtbot, make_window, tmp_path, stores, dns_port, https_server
) -> None:
    profile = slow_profile(tmp_path, https_server)
    window = make_window(loopback_plans(profile, stores, dns_port))
    window.instance.setText("acme")
    qtbot.mouseClick(window.run_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.checks.light_of("dns") is Light.PASS, timeout=5000)
    qtbot.mouseClick(window.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.state == State.IDLE, timeout=5000)

    assert window.export_button.isEnabled()
    assert window.copy_summary_button.isEnabled()
    out = tmp_path / "out"
    out.mkdir()
    assert window.export_to(out / "cancelled.json")
    report = json.loads((out / "cancelled.json").read_text(encoding="utf-8"))
    assert report["cancelled"] is True
    assert report["finished_checks"] == 1
    assert report["verdict"]["text"] == (
        "Incomplete (cancelled): 1 of 2 checks finished, no verdict"
    )
    checks = {check["id"]: check for check in report["checks"]}
    assert list(checks) == ["dns", "slow"]
    assert checks["dns"]["status"] == "pass"
    assert checks["slow"]["status"] == "unknown"
    assert checks["slow"]["summary"] == NOT_RUN_SUMMARY

    assert window.export_to(out / "cancelled.html")
    page = (out / "cancelled.html").read_text(encoding="utf-8")
    assert "Incomplete (cancelled): 1 of 2 checks finished" in page
    assert "Cancelled: no verdict" in window.summary_text()


def test_close_during_run_stops_thread(
    qtbot, make_window, tmp_path, stores, dns_port, https_server
) -> None:
    profile = slow_profile(tmp_path, https_server)
    window = make_window(loopback_plans(profile, stores, dns_port))
    window.instance.setText("acme")
    qtbot.mouseClick(window.run_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: window.checks.light_of("slow") is Light.RUNNING, timeout=5000
    )
    thread = window.worker._thread
    assert thread is not None

    started = time.monotonic()
    window.close()
    assert time.monotonic() - started < 3
    assert not thread.is_alive()
    assert not window.worker.running


def test_second_run_after_first(qtbot, healthy_window: MainWindow) -> None:
    run_to_end(qtbot, healthy_window)
    run_to_end(qtbot, healthy_window)
    assert healthy_window.banner.text() == "Ready for calls"
    assert healthy_window.progress.value() == 3


def test_export_json_html_pdf(qtbot, healthy_window: MainWindow, tmp_path) -> None:
    run_to_end(qtbot, healthy_window)
    out = tmp_path / "out"
    out.mkdir()

    assert healthy_window.export_to(out / "report.json")
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert report["verdict"]["code"] == "ready"
    assert [c["id"] for c in report["checks"]] == ["dns", "monitor", "licence"]

    assert healthy_window.export_to(out / "report.html")
    assert "Ready for calls" in (out / "report.html").read_text(encoding="utf-8")

    assert healthy_window.export_to(out / "report.pdf")
    assert (out / "report.pdf").read_bytes().startswith(b"%PDF-")
    assert shutil.which("pdftotext"), "poppler-utils (pdftotext) is not installed"
    text = subprocess.run(
        ["pdftotext", str(out / "report.pdf"), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "Ready for calls" in text
    assert "Monitoring service" in text


def test_export_failure_keeps_results(
    qtbot, healthy_window: MainWindow, tmp_path
) -> None:
    run_to_end(qtbot, healthy_window)
    assert not healthy_window.export_to(tmp_path / "no-such-folder" / "report.pdf")
    assert healthy_window.message.isVisible()
    assert "not exported" in healthy_window.message.text()
    assert healthy_window.banner.text() == "Ready for calls"
    assert healthy_window.export_button.isEnabled()


def test_export_rejects_unknown_extension(qtbot, healthy_window, tmp_path) -> None:
    run_to_end(qtbot, healthy_window)
    assert not healthy_window.export_to(tmp_path / "report.docx")
    assert ".pdf, .html or .json" in healthy_window.message.text()


def test_last_report_kept_and_opened(
    qtbot, healthy_window: MainWindow, user_dirs: Path
) -> None:
    opened: list[str] = []
    healthy_window.open_url = lambda url: opened.append(url.toLocalFile()) or True
    healthy_window.open_last_report()
    assert "no report yet" in healthy_window.message.text()

    run_to_end(qtbot, healthy_window)
    last_html = user_dirs / "data" / "ucontact-netcheck" / "last-report.html"
    qtbot.waitUntil(last_html.is_file, timeout=5000)
    healthy_window.open_last_report()
    assert len(opened) == 1
    assert opened[0].endswith("last-report.html")
    assert Path(opened[0]).is_file()
    assert Path(opened[0]).with_name("last-report.json").is_file()


def test_log_folder_opened(healthy_window: MainWindow) -> None:
    opened: list[str] = []
    healthy_window.open_url = lambda url: opened.append(url.toLocalFile()) or True
    healthy_window.open_log_folder()
    assert len(opened) == 1
    assert Path(opened[0]).is_dir()


def test_open_failure_shown(healthy_window: MainWindow) -> None:
    healthy_window.open_url = lambda url: False
    healthy_window.open_log_folder()
    assert "Could not open" in healthy_window.message.text()


def test_invalid_instance_clears_last_run(qtbot, healthy_window: MainWindow) -> None:
    window = healthy_window
    run_to_end(qtbot, window)
    assert window.banner.text() == "Ready for calls"

    window.instance.setText("not a name!")
    qtbot.mouseClick(window.run_button, Qt.MouseButton.LeftButton)
    assert window.message.isVisible()
    assert window.banner.text() != "Ready for calls"
    assert window.checks.topLevelItemCount() == 0
    assert window.report is None
    assert window.run_result is None
    assert not window.export_button.isEnabled()
    assert not window.copy_summary_button.isEnabled()
    assert not window.progress.isVisible()
    assert window.step.text() == ""
    assert window.elapsed.text() == ""
    assert window.details.heading.text() != "Name resolution"


def test_invalid_instance_spanish_sentence(qtbot, healthy_window: MainWindow) -> None:
    healthy_window.language_actions["es"].trigger()
    healthy_window.instance.setText("not a name!")
    qtbot.mouseClick(healthy_window.run_button, Qt.MouseButton.LeftButton)
    assert healthy_window.message.text() == (
        "'not a name!' no es un nombre de instancia válido: use solo letras, "
        "dígitos y guiones, como acme para acme.ucontact.test."
    )


def test_click_selects_instance_for_paste(qtbot, healthy_window: MainWindow) -> None:
    window = healthy_window
    window.activateWindow()
    window.run_button.setFocus()
    qtbot.mouseClick(window.instance, Qt.MouseButton.LeftButton)
    assert window.instance.hasFocus()
    assert window.instance.selectedText() == "acme"

    url = "https://acme.ucontactcloud.com/agent"
    QGuiApplication.clipboard().setText(url)
    qtbot.keyClick(window.instance, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert window.instance.text() == url


def test_tab_selects_instance(qtbot, healthy_window: MainWindow) -> None:
    window = healthy_window
    window.activateWindow()
    window.run_button.setFocus()
    qtbot.keyClick(window.run_button, Qt.Key.Key_Backtab)
    assert window.instance.hasFocus()
    assert window.instance.selectedText() == "acme"


def test_focus_after_error_selects_instance(qtbot, healthy_window) -> None:
    window = healthy_window
    window.activateWindow()
    window.instance.setText("acme!")
    window.run_button.setFocus()
    qtbot.mouseClick(window.run_button, Qt.MouseButton.LeftButton)
    assert window.instance.hasFocus()
    assert window.instance.selectedText() == "acme!"


def test_drag_keeps_part_selection(qtbot, healthy_window: MainWindow) -> None:
    field = healthy_window.instance
    healthy_window.activateWindow()
    healthy_window.run_button.setFocus()
    middle = field.height() // 2
    # Text starts a few pixels in: 3 px is before "a", the end is just after "c".
    end = QPoint(field.fontMetrics().horizontalAdvance("ac") + 4, middle)
    qtbot.mousePress(field, Qt.MouseButton.LeftButton, pos=QPoint(3, middle))
    qtbot.mouseMove(field, end)
    qtbot.mouseRelease(field, Qt.MouseButton.LeftButton, pos=end)
    assert field.selectedText() == "ac"


def test_invalid_instance_shows_sentence(qtbot, healthy_window: MainWindow) -> None:
    healthy_window.instance.setText("not a name!")
    qtbot.mouseClick(healthy_window.run_button, Qt.MouseButton.LeftButton)
    assert healthy_window.state == State.IDLE
    assert healthy_window.message.isVisible()
    assert "is not a valid instance name" in healthy_window.message.text()
    assert not healthy_window.worker.running


def test_pasted_url_accepted(qtbot, healthy_window: MainWindow) -> None:
    healthy_window.instance.setText("https://acme.ucontact.test/agent/")
    run_to_end(qtbot, healthy_window)
    assert healthy_window.report is not None
    assert healthy_window.report["instance"] == "acme"


def test_instance_remembered(
    qtbot, healthy_window: MainWindow, make_window, tmp_path
) -> None:
    run_to_end(qtbot, healthy_window)
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    assert settings.value("instance") == "acme"
    again = make_window()
    assert again.instance.text() == "acme"


def test_spanish_dashboard(qtbot, healthy_window: MainWindow) -> None:
    window = healthy_window
    window.language_actions["es"].trigger()
    assert window.translations.language == "es"
    assert window.windowTitle() == "Verificación de red de uContact"
    assert window.run_button.text() == "&Ejecutar comprobaciones"

    run_to_end(qtbot, window)
    save_screenshot(window, "dashboard-spanish")
    assert window.banner.text() == "Listo para llamadas"
    groups = [window.checks.topLevelItem(i) for i in range(2)]
    assert [g.text(1) for g in groups] == ["Este equipo", "Servicios"]
    group = groups[0]
    assert group.child(0).text(1) == "Resolución de nombres"
    assert group.child(0).text(0) == "Correcto"
    assert window.details.summary_caption.text() == "<b>Qué se encontró</b>"


def test_spanish_plural_and_back_to_english(
    qtbot, make_window, tmp_path, stores, dns_port, https_server
) -> None:
    profile = failing_profile(tmp_path, https_server)
    window = make_window(loopback_plans(profile, stores, dns_port))
    window.instance.setText("acme")
    window.language_actions["es"].trigger()
    run_to_end(qtbot, window)
    save_screenshot(window, "dashboard-failing-spanish")
    assert window.banner.text() == "No está listo: 2 problemas"
    assert window.details.heading.text() == "Resolución de nombres"
    assert window.details.summary.text().startswith("1 de 2 hosts no se resolvieron")

    window.language_actions["en"].trigger()
    assert window.banner.text() == "Not ready: 2 problems"
    assert window.details.heading.text() == "Name resolution"


def test_language_choice_saved(healthy_window: MainWindow, tmp_path) -> None:
    healthy_window.language_actions["es"].trigger()
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    assert settings.value("language") == "es"


def test_about_names_version(healthy_window: MainWindow) -> None:
    from app import __version__

    box = healthy_window.show_about()
    assert __version__ in box.text()
    box.close()


def test_controls_have_accessible_names(healthy_window: MainWindow) -> None:
    controls = healthy_window.findChildren(QPushButton) + healthy_window.findChildren(
        QLineEdit
    )
    assert len(controls) >= 7
    for control in controls:
        assert control.accessibleName(), (
            f"{control.objectName()} has no accessible name"
        )
    assert healthy_window.checks.accessibleName() == "Checks"
    assert healthy_window.banner.accessibleName() == "Verdict"


def test_tab_reaches_every_control(qtbot, healthy_window: MainWindow) -> None:
    run_to_end(qtbot, healthy_window)
    window = healthy_window
    window.activateWindow()
    window.instance.setFocus()
    reached = set()
    for _ in range(60):
        widget = QApplication.focusWidget()
        if widget is not None:
            reached.add(widget.objectName())
        window.focusNextChild()
    expected = {
        "instance",
        "run",
        "verdict",
        "checkList",
        "detailsSummary",
        "export",
        "copySummary",
        "lastReport",
        "logFolder",
    }
    missing = expected - reached
    assert not missing, f"Tab never reached {sorted(missing)}"


def test_layout_fits_1366x768(qtbot, healthy_window: MainWindow) -> None:
    hint = healthy_window.minimumSizeHint()
    assert hint.width() <= 1366
    assert hint.height() <= 768
    healthy_window.resize(1366, 768)
    run_to_end(qtbot, healthy_window)
    save_screenshot(healthy_window, "dashboard-1366x768")
    assert healthy_window.width() == 1366
    assert healthy_window.height() == 768


def refused_profile(tmp_path: Path) -> Path:
    """A profile of checks that fail fast on loopback: a refused port in each group."""
    closed = free_port()
    checks = [DNS_CHECK]
    for group in ("signalling", "media", "security", "services"):
        checks.append(
            web_check(
                f"web-{group}",
                f"https://127.0.0.1:{closed}/",
                group=group,
                title=f"Refused port ({group})",
            )
        )
    return write_profile(tmp_path / "refused.toml", checks)


@pytest.mark.parametrize(
    ("scale", "width", "height"), [("1", 1366, 768), ("2", 1366, 768)]
)
def test_layout_scaled(tmp_path: Path, scale: str, width: int, height: int) -> None:
    out = ARTIFACTS / f"dashboard-scale-{scale}-{width}x{height}.png"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    env = dict(
        os.environ,
        QT_SCALE_FACTOR=scale,
        QT_QPA_PLATFORM="offscreen",
        XDG_DATA_HOME=str(tmp_path / "data"),
        XDG_STATE_HOME=str(tmp_path / "state"),
    )
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "tests.gui.scaled_window",
            str(refused_profile(tmp_path)),
            str(out),
            str(width),
            str(height),
        ],
        check=False,
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
        cwd=ROOT,
    )
    assert completed.returncode == 0, completed.stderr
    facts = json.loads(completed.stdout.strip().splitlines()[-1])
    assert facts["ratio"] == float(scale)
    assert facts["verdict"] == "Not ready: 4 problems"
    assert facts["min_width"] <= width
    assert facts["min_height"] <= height
    assert out.is_file()
