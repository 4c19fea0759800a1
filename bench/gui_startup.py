"""Time from process start to the window's first paint, median of several starts.

The parent starts `python -m bench.gui_startup --child` and stops the clock when the
child prints "painted", which it does from the window's first paint event; the child
then quits. User folders point into a temporary folder, so no settings carry over.

    .venv/bin/python -m bench.gui_startup [--runs 5] [--platform offscreen|xcb]

With --platform xcb the children run under Xvfb (xvfb-run), a real X server.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def child() -> int:
    from PySide6.QtCore import QEvent, QObject, QTimer

    from app.gui.main import create_window

    app, window = create_window([])

    class FirstPaint(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint:
                print("painted", flush=True)
                window.removeEventFilter(self)
                QTimer.singleShot(0, window.close)
            return False

    watcher = FirstPaint()
    window.installEventFilter(watcher)
    window.show()
    return app.exec()


def start_once(platform_name: str, home: Path) -> float:
    env = dict(
        os.environ,
        PYTHONPATH=str(ROOT),
        XDG_CONFIG_HOME=str(home / "config"),
        XDG_DATA_HOME=str(home / "data"),
        XDG_STATE_HOME=str(home / "state"),
    )
    command = [sys.executable, "-m", "bench.gui_startup", "--child"]
    if platform_name == "xcb":
        env["QT_QPA_PLATFORM"] = "xcb"
        command = ["xvfb-run", "-a", "-s", "-screen 0 1366x768x24", *command]
    else:
        env["QT_QPA_PLATFORM"] = "offscreen"
    started = time.perf_counter()
    process = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=ROOT,
    )
    assert process.stdout is not None
    for line in process.stdout:
        if line.strip() == "painted":
            elapsed = time.perf_counter() - started
            break
    else:
        raise RuntimeError(f"the window never painted: {process.stderr.read()}")
    process.wait(30)
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="number of starts")
    parser.add_argument(
        "--platform",
        choices=["offscreen", "xcb"],
        default="offscreen",
        help="Qt platform plugin of the children",
    )
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child()
    if args.platform == "xcb" and not shutil.which("xvfb-run"):
        print("xvfb-run is not installed", file=sys.stderr)
        return 3

    print(
        f"machine: {platform.platform()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, platform {args.platform}"
    )
    with tempfile.TemporaryDirectory(prefix="unc-gui-start-") as folder:
        start_once(args.platform, Path(folder))  # warm the file cache; not counted
        samples = [start_once(args.platform, Path(folder)) for _ in range(args.runs)]
    print("starts (s): " + ", ".join(f"{s:.3f}" for s in samples))
    print(f"median {statistics.median(samples):.3f} s, max {max(samples):.3f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
