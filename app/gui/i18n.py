"""Load the Qt Linguist translations: the system language unless the user picked one."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from app.core.paths import resources_dir

log = logging.getLogger(__name__)

# Language codes shipped in resources/translations, with their names in that language.
LANGUAGES = {"en": "English", "es": "Español"}
DEFAULT_LANGUAGE = "en"
SYSTEM = "system"


def translations_dir() -> Path:
    return resources_dir() / "translations"


def system_language() -> str:
    """Return the first shipped language among the system's UI languages, else English."""
    for name in QLocale.system().uiLanguages():
        code = name.replace("_", "-").split("-", 1)[0].lower()
        if code in LANGUAGES:
            return code
    return DEFAULT_LANGUAGE


def resolve_language(choice: str) -> str:
    """Turn a saved choice ("system", "en", "es", or anything stale) into a language."""
    if choice in LANGUAGES:
        return choice
    return system_language()


class Translations:
    """The translators installed on the application, replaced as a unit."""

    def __init__(self) -> None:
        self.language = DEFAULT_LANGUAGE
        self._installed: list[QTranslator] = []

    def install(self, language: str) -> bool:
        """Switch the application to `language`; False if its file is missing."""
        app = QCoreApplication.instance()
        if app is None:
            raise RuntimeError("create the QApplication before loading translations")
        for translator in self._installed:
            app.removeTranslator(translator)
        self._installed = []

        ok = True
        # The English file carries only plural forms ("1 problem", "2 problems").
        own = QTranslator()
        if own.load(f"ucontact_{language}", str(translations_dir())):
            self._installed.append(own)
        else:
            log.error(
                "translation ucontact_%s.qm not found in %s",
                language,
                translations_dir(),
            )
            ok = False
        # Qt's own strings (standard buttons, file dialogs), when Qt ships them.
        base = QTranslator()
        qt_folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        if language != "en" and base.load(f"qtbase_{language}", qt_folder):
            self._installed.append(base)

        for translator in self._installed:
            app.installTranslator(translator)
        self.language = language if ok else DEFAULT_LANGUAGE
        log.info(
            "language %s installed (%d translators)", language, len(self._installed)
        )
        return ok
