"""Logging of the window to a rotating file in the user log folder."""

from __future__ import annotations

import logging
import logging.handlers
import sys
from pathlib import Path
from types import TracebackType

from app.core.paths import user_log_dir

LOG_NAME = "ucontact-netcheck.log"
MAX_BYTES = 1_000_000
BACKUPS = 3

log = logging.getLogger(__name__)


def setup_logging(folder: Path | None = None, level: int = logging.INFO) -> Path | None:
    """Log to `folder`/ucontact-netcheck.log (1 MB, 3 backups); None if not writable."""
    folder = folder or user_log_dir()
    root = logging.getLogger()
    # Handlers set up before (the command line's stderr handler) keep the level they
    # had through the root logger, so lowering it for the file adds no console noise.
    for existing in root.handlers:
        if existing.level == logging.NOTSET:
            existing.setLevel(root.level)
    root.setLevel(level)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handler = logging.handlers.RotatingFileHandler(
            folder / LOG_NAME, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8"
        )
    except OSError as exc:
        logging.basicConfig(level=logging.WARNING)
        log.warning("cannot write the log in %s: %s", folder, exc)
        return None
    handler.setFormatter(
        logging.Formatter(
            "%(asctime)s %(levelname)s %(threadName)s %(name)s: %(message)s"
        )
    )
    root.addHandler(handler)
    sys.excepthook = _log_uncaught
    return folder / LOG_NAME


def _log_uncaught(
    kind: type[BaseException], value: BaseException, traceback: TracebackType | None
) -> None:
    # Qt calls Python slots from its event loop, where an escaping exception would
    # otherwise only reach stderr, which a double-clicked program does not have.
    log.critical("uncaught exception", exc_info=(kind, value, traceback))
    sys.__excepthook__(kind, value, traceback)
