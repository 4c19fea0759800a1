"""Start the window: `ucontact-netcheck` with no command, or `python -m app.gui.main`."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from app import __version__
from app.gui.i18n import SYSTEM, Translations, resolve_language
from app.gui.logsetup import setup_logging
from app.gui.window import MainWindow

log = logging.getLogger(__name__)

ORGANIZATION = "uContact"
APPLICATION = "ucontact-netcheck"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ucontact-netcheck-window",
        description="Open the uContact Network Check window.",
    )
    parser.add_argument(
        "--profile",
        type=Path,
        help="requirements profile (TOML) to use instead of the built-in one",
    )
    parser.add_argument(
        "--public-roots",
        type=Path,
        metavar="PEM",
        help="PEM file used as the browser's trust store instead of the "
        "bundled Mozilla store",
    )
    parser.add_argument(
        "--language",
        choices=["en", "es"],
        help="language of the window for this session",
    )
    return parser


def create_window(argv: list[str]) -> tuple[QApplication, MainWindow]:
    """Create the application, its translations and the main window (not shown)."""
    args = build_parser().parse_args(argv)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setOrganizationName(ORGANIZATION)
    app.setApplicationName(APPLICATION)
    app.setApplicationVersion(__version__)
    app.setApplicationDisplayName("uContact Network Check")

    settings = QSettings()
    translations = Translations()
    choice = args.language or str(settings.value("language", SYSTEM) or SYSTEM)
    translations.install(resolve_language(choice))
    window = MainWindow(
        settings,
        translations,
        profile_path=args.profile,
        public_roots=args.public_roots,
    )
    return app, window


# PySide6-Essentials 6.12.0 drops one reference to None on every Qt call that returns
# nothing, and Python 3.11 aborts when the count reaches zero; pyproject.toml excludes
# that release and tests/gui/test_qt_binding.py measures the count.
def main(argv: list[str] | None = None) -> int:
    """Open the window and run the Qt event loop; return the exit code."""
    log_file = setup_logging()
    log.info("ucontact-netcheck %s window starting; log %s", __version__, log_file)
    app, window = create_window(sys.argv[1:] if argv is None else argv)
    window.show()
    code = app.exec()
    log.info("window closed with code %d", code)
    return code


if __name__ == "__main__":
    raise SystemExit(main())
