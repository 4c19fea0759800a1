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


# NOTE: PySide6 6.12.0 on Python 3.11 drops one reference to None on every call of a
# Qt method that returns nothing (measured: 100 QLabel.setText calls lower
# sys.getrefcount(None) by 100), and the interpreter aborts with "none_dealloc" when
# the count reaches zero. A window starts with about 24,000 references and a run
# costs a few hundred, so a long session can abort. Python 3.12 and later make None
# immortal, which removes the effect.
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
