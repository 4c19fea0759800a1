"""Run the window once in a fresh process and save a screenshot, for scaling tests.

    python -m tests.gui.scaled_window PROFILE OUT.png WIDTH HEIGHT

The parent sets QT_SCALE_FACTOR; this prints the minimum size hint and the device pixel
ratio as JSON on the last line.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from app.gui.i18n import Translations
from app.gui.window import MainWindow, State


def main() -> int:
    profile, out, width, height = (
        Path(sys.argv[1]),
        sys.argv[2],
        *map(int, sys.argv[3:5]),
    )
    app = QApplication(sys.argv[:1])
    translations = Translations()
    translations.install("en")
    with tempfile.TemporaryDirectory() as folder:
        settings = QSettings(str(Path(folder) / "s.ini"), QSettings.Format.IniFormat)
        window = MainWindow(settings, translations, profile_path=profile)
        window.instance.setText("acme")
        window.resize(width, height)
        window.show()
        window.start_run()
        deadline = time.monotonic() + 30
        while window.state != State.IDLE and time.monotonic() < deadline:
            app.processEvents()
            time.sleep(0.005)
        app.processEvents()
        window.grab().save(out)
        hint = window.minimumSizeHint()
        facts = {
            "min_width": hint.width(),
            "min_height": hint.height(),
            "width": window.width(),
            "height": window.height(),
            "ratio": window.devicePixelRatio(),
            "verdict": window.banner.text(),
        }
        window.close()
    print(json.dumps(facts))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
