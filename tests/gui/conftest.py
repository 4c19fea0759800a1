"""Fixtures for the window tests: offscreen Qt, loopback servers, isolated user folders.

The checks reach only 127.0.0.1: a dnsmasq that serves *.ucontact.test and an aiohttp
HTTPS server whose certificate comes from the test PKI, trusted through SSL_CERT_FILE.
"""

from __future__ import annotations

import asyncio
import json
import os
import ssl
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from PySide6.QtCore import QSettings

from app.core.session import Plan, prepare
from app.gui.i18n import Translations
from app.gui.window import MainWindow
from tests.loopback import (
    free_port,
    loopback_resolver,
    server_context,
    start_dnsmasq,
    stop,
)
from tests.pki import LabPki, make_lab_pki, make_leaf

# Before pytest-qt's qapp fixture creates the QApplication, which reads it.
os.environ["QT_QPA_PLATFORM"] = "offscreen"

HOST = "app.ucontact.test"
MISSING = "missing.ucontact.test"  # dnsmasq answers NXDOMAIN
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"


@pytest.fixture(autouse=True)
def user_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point the data, log and config folders (platformdirs, XDG) into tmp_path."""
    home = tmp_path / "home"
    for variable, folder in (
        ("XDG_DATA_HOME", "data"),
        ("XDG_STATE_HOME", "state"),
        ("XDG_CONFIG_HOME", "config"),
        ("XDG_CACHE_HOME", "cache"),
    ):
        monkeypatch.setenv(variable, str(home / folder))
    return home


@pytest.fixture(scope="session")
def pki() -> LabPki:
    return make_lab_pki()


@pytest.fixture
def stores(pki: LabPki, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Return the browser store file; the OS store goes in through SSL_CERT_FILE."""
    public, os_store = pki.write_stores(tmp_path / "stores")
    monkeypatch.setenv("SSL_CERT_FILE", str(os_store))
    return public


@pytest.fixture(scope="session")
def dns_port() -> Iterator[int]:
    process, port = start_dnsmasq({HOST: "127.0.0.1"})
    yield port
    stop(process)


class HttpsServer:
    """An aiohttp HTTPS server on 127.0.0.1 in its own thread and event loop."""

    def __init__(self, context: ssl.SSLContext) -> None:
        self.context = context
        self.port = free_port()
        self.loop = asyncio.new_event_loop()
        self._runner: web.AppRunner | None = None
        self._thread = threading.Thread(target=self.loop.run_forever, daemon=True)

    def start(self) -> None:
        self._thread.start()
        asyncio.run_coroutine_threadsafe(self._start(), self.loop).result(10)

    async def _start(self) -> None:
        app = web.Application()
        app.router.add_get("/", self._ok)
        app.router.add_get("/slow", self._slow)
        self._runner = web.AppRunner(app, handle_signals=False, shutdown_timeout=1.0)
        await self._runner.setup()
        site = web.TCPSite(
            self._runner, "127.0.0.1", self.port, ssl_context=self.context
        )
        await site.start()

    @staticmethod
    async def _ok(request: web.Request) -> web.Response:
        return web.Response(text="ok")

    @staticmethod
    async def _slow(request: web.Request) -> web.Response:
        await asyncio.sleep(120)
        return web.Response(text="late")

    def stop(self) -> None:
        if self._runner is not None:
            asyncio.run_coroutine_threadsafe(self._runner.cleanup(), self.loop).result(
                30
            )
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(10)
        self.loop.close()


@pytest.fixture(scope="session")
def https_server(
    pki: LabPki, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[int]:
    leaf = make_leaf(pki.intermediate, [HOST, "127.0.0.1"])
    server = HttpsServer(server_context(leaf, tmp_path_factory.mktemp("server"), "app"))
    server.start()
    yield server.port
    server.stop()


def web_check(
    check_id: str,
    url: str,
    *,
    group: str = "services",
    severity: str = "required",
    timeout_s: float = 4,
    title: str | None = None,
) -> dict[str, Any]:
    return {
        "id": check_id,
        "kind": "web",
        "group": group,
        "title": title or f"Web {check_id}",
        "requirement": f"{url} answers",
        "severity": severity,
        "timeout_s": timeout_s,
        "urls": [url],
    }


DNS_CHECK = {
    "id": "dns",
    "kind": "dns",
    "group": "this computer",
    "title": "Name resolution",
    "requirement": "Every uContact host resolves through this computer's DNS server",
    "severity": "required",
    "timeout_s": 4,
}


def write_profile(
    path: Path, checks: list[dict[str, Any]], deadline_s: float = 30
) -> Path:
    lines = [
        "[profile]",
        'name = "GUI test"',
        'instance_host = "{instance}.ucontact.test"',
        "[run]",
        f"deadline_s = {deadline_s}",
        "dns_timeout_s = 1",
    ]
    for check in checks:
        lines.append("[[check]]")
        lines += [f"{key} = {json.dumps(value)}" for key, value in check.items()]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def loopback_plans(
    profile: Path, public_roots: Path, dns_port: int
) -> Callable[[str], Plan]:
    """Return a plan factory whose runs resolve names through the loopback dnsmasq."""

    def factory(instance_text: str) -> Plan:
        plan = prepare(instance_text, profile, public_roots)
        plan.context.resolver = loopback_resolver(dns_port, 1.0)
        return plan

    return factory


@pytest.fixture
def translations(qapp: Any) -> Iterator[Translations]:
    translations = Translations()
    assert translations.install("en"), "ucontact_en.qm is missing; run pyside6-lrelease"
    yield translations
    translations.install("en")


@pytest.fixture
def make_window(qtbot: Any, tmp_path: Path, translations: Translations):
    """Build a MainWindow with its own settings file; closed after the test."""
    windows: list[MainWindow] = []

    def make(
        plan_factory: Callable[[str], Plan] | None = None, **kwargs: Any
    ) -> MainWindow:
        settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
        window = MainWindow(settings, translations, plan_factory=plan_factory, **kwargs)
        qtbot.addWidget(window)
        window.resize(1100, 700)
        window.show()
        qtbot.waitExposed(window)
        windows.append(window)
        return window

    yield make
    for window in windows:
        window.close()


def save_screenshot(window: MainWindow, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    assert window.grab().save(str(path)), f"could not save {path}"
    return path
