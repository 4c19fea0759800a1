"""GUI-thread stalls and peak memory of the window during full runs in the lab.

The window is shown and left idle for 1 s, as a user types the instance name, then
runs the checks several times. A heartbeat QTimer on the GUI thread fires every 5 ms
during each run. The longest gap between two beats, minus the interval, is the
longest stall. Peak memory is the
process's ru_maxrss after all runs (the process holds Qt, the window and the checks).
The window's check thread runs in the lab's agent namespace, as in the lab GUI tests.
Needs root.

    .venv/bin/python -m bench.gui_run [--runs 3]
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import dns.asyncresolver
from PySide6.QtCore import QEventLoop, QSettings, QTimer
from PySide6.QtWidgets import QApplication

from app.core.resolve import HostResolver
from app.core.session import Plan, prepare
from app.gui.i18n import Translations
from app.gui.window import MainWindow, State
from app.gui.worker import RunWorker
from tests.gui.threadns import enter_namespace
from tests.lab import netns
from tests.lab.lab import HEALTHY, Lab, Scenario

HEARTBEAT_MS = 5
# The healthy lab finishes in well under a second. With UDP 3478 dropped, the STUN and
# ICE checks wait for their timeouts, so the run lasts several seconds.
SCENARIOS = {
    "healthy": HEALTHY,
    "UDP 3478 dropped": Scenario(firewall=("udp dport 3478 drop",)),
}


class Heartbeat:
    """Records the longest gap between beats of a timer on the GUI thread."""

    def __init__(self) -> None:
        self.timer = QTimer()
        self.timer.setInterval(HEARTBEAT_MS)
        self.timer.timeout.connect(self._beat)
        self.last = 0.0
        self.max_gap_s = 0.0

    def start(self) -> None:
        self.last = time.perf_counter()
        self.max_gap_s = 0.0
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()

    def _beat(self) -> None:
        now = time.perf_counter()
        self.max_gap_s = max(self.max_gap_s, now - self.last)
        self.last = now


def run_window(window: MainWindow, heartbeat: Heartbeat) -> float:
    """Run the checks once through the window and return the longest stall in ms."""
    loop = QEventLoop()
    worker = window.worker
    ends = (worker.run_finished, worker.run_cancelled, worker.run_failed)
    for signal in ends:
        signal.connect(loop.quit)
    limit = QTimer()
    limit.setSingleShot(True)
    limit.timeout.connect(loop.quit)
    limit.start(60_000)

    heartbeat.start()
    window.start_run()
    loop.exec()
    heartbeat.stop()
    for signal in ends:
        signal.disconnect(loop.quit)
    # The window's own slot for the final signal runs after this loop's quit.
    QTimer.singleShot(0, loop.quit)
    loop.exec()
    if window.state != State.IDLE or window.run_result is None:
        raise RuntimeError(f"the run did not finish: {window.message.text()}")
    return max(0.0, heartbeat.max_gap_s * 1000 - HEARTBEAT_MS)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="runs per scenario")
    args = parser.parse_args()
    if os.geteuid() != 0:
        print("the lab needs root", file=sys.stderr)
        return 3

    print(
        f"machine: {platform.platform()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, Qt platform "
        f"{os.environ['QT_QPA_PLATFORM']}"
    )
    with tempfile.TemporaryDirectory(prefix="unc-gui-run-") as folder_name:
        folder = Path(folder_name)
        for variable in ("XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CONFIG_HOME"):
            os.environ[variable] = str(folder / variable.lower())
        lab = Lab(f"ugb{os.getpid() % 100000}", folder / "lab")
        try:
            lab.start()
            files = lab.files
            assert files is not None
            os.environ["SSL_CERT_FILE"] = str(files.os_store)
            os.environ["SSL_CERT_DIR"] = str(files.empty_cert_dir)

            def plans(instance_text: str) -> Plan:
                plan = prepare(instance_text, files.profile, files.public_roots)
                resolver = dns.asyncresolver.Resolver(configure=False)
                resolver.nameservers = [netns.DNS_IP]
                plan.context.resolver = HostResolver(
                    plan.profile.dns_timeout_s, resolver
                )
                return plan

            app = QApplication(sys.argv[:1])  # noqa: F841 - kept alive for the window
            translations = Translations()
            translations.install("en")
            settings = QSettings(
                str(folder / "settings.ini"), QSettings.Format.IniFormat
            )
            window = MainWindow(
                settings,
                translations,
                plan_factory=plans,
                worker=RunWorker(thread_setup=enter_namespace(lab.agent)),
            )
            window.instance.setText("acme")
            window.resize(1366, 768)
            window.show()
            # A user takes at least a second to type the instance and press Run;
            # the window imports the check modules on its check thread meanwhile.
            settle = QEventLoop()
            QTimer.singleShot(1000, settle.quit)
            settle.exec()
            heartbeat = Heartbeat()
            stalls = []
            durations = []
            for name, scenario in SCENARIOS.items():
                lab.apply(scenario)
                for _ in range(args.runs):
                    started = time.perf_counter()
                    stalls.append(run_window(window, heartbeat))
                    durations.append(time.perf_counter() - started)
                    assert window.report is not None
                    print(
                        f"run ({name}): {window.report['verdict']['text']}, "
                        f"{durations[-1]:.2f} s, longest stall {stalls[-1]:.1f} ms"
                    )
            window.close()
        finally:
            lab.stop()

    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print("longest stall per run (ms): " + ", ".join(f"{s:.1f}" for s in stalls))
    print(
        f"longest stall: median {statistics.median(stalls):.1f} ms, "
        f"max {max(stalls):.1f} ms"
    )
    print(f"run duration: min {min(durations):.2f} s, max {max(durations):.2f} s")
    print(f"peak memory (ru_maxrss): {peak_mb:.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
