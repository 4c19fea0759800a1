"""The details pane: summary, measured evidence and remedy of the selected check."""

from __future__ import annotations

import json

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFontDatabase, QGuiApplication
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from app.core.model import CheckResult, CheckSpec
from app.gui.lights import Light, light_icon, light_word
from app.gui.texts import translate_text, translate_title

_SELECTABLE = (
    Qt.TextInteractionFlag.TextSelectableByMouse
    | Qt.TextInteractionFlag.TextSelectableByKeyboard
)


def _label(name: str) -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    label.setTextInteractionFlags(_SELECTABLE)
    label.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
    label.setObjectName(name)
    label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
    return label


class DetailsPane(QWidget):
    """Shows one check; `remedy_copied` carries the text put on the clipboard."""

    remedy_copied = Signal(str)

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("details")
        self._spec: CheckSpec | None = None
        self._result: CheckResult | None = None
        self._light = Light.WAITING
        self.language = "en"  # set by the window before it retranslates

        self.heading = _label("detailsTitle")
        font = self.heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.2)
        font.setBold(True)
        self.heading.setFont(font)

        self.status_icon = QLabel()
        self.status_icon.setFixedSize(24, 24)
        self.status_icon.setScaledContents(True)
        self.status_word = _label("detailsStatus")
        status_row = QHBoxLayout()
        status_row.addWidget(self.status_icon)
        status_row.addWidget(self.status_word, 1)

        self.requirement = _label("detailsRequirement")
        self.summary_caption = QLabel()
        self.summary = _label("detailsSummary")
        self.remedy_caption = QLabel()
        self.remedy = _label("detailsRemedy")
        self.remedy.setStyleSheet(
            "QLabel { background: #f3f3f3; color: #1b1b1b; padding: 6px; }"
        )
        self.copy_remedy = QPushButton()
        self.copy_remedy.setObjectName("copyRemedy")
        self.copy_remedy.clicked.connect(self._copy_remedy)
        self.english_note = _label("detailsEnglishNote")
        self.english_note.setStyleSheet("QLabel { color: #5f6368; }")

        self.evidence_caption = QLabel()
        self.evidence = QPlainTextEdit()
        self.evidence.setObjectName("detailsEvidence")
        self.evidence.setReadOnly(True)
        self.evidence.setTabChangesFocus(True)
        self.evidence.setFont(
            QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        )
        self.evidence.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.evidence.setMinimumHeight(80)

        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addLayout(status_row)
        layout.addWidget(self.requirement)
        layout.addWidget(self.summary_caption)
        layout.addWidget(self.summary)
        layout.addWidget(self.remedy_caption)
        layout.addWidget(self.remedy)
        layout.addWidget(self.copy_remedy, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.english_note)
        layout.addWidget(self.evidence_caption)
        layout.addWidget(self.evidence, 3)
        layout.addStretch(1)

        self.summary_caption.setBuddy(self.summary)
        self.remedy_caption.setBuddy(self.remedy)
        self.evidence_caption.setBuddy(self.evidence)
        self.retranslate()

    def retranslate(self) -> None:
        self.summary_caption.setText(self.tr("<b>What was found</b>"))
        self.remedy_caption.setText(self.tr("<b>How to fix it</b>"))
        self.evidence_caption.setText(self.tr("<b>Measured values</b>"))
        self.copy_remedy.setText(self.tr("Cop&y fix for the network administrator"))
        self.copy_remedy.setAccessibleName(self.tr("Copy fix"))
        self.copy_remedy.setAccessibleDescription(
            self.tr("Copies the fix to the clipboard for the network administrator.")
        )
        self.heading.setAccessibleName(self.tr("Selected check"))
        self.status_word.setAccessibleName(self.tr("Result"))
        self.requirement.setAccessibleName(self.tr("Requirement"))
        self.summary.setAccessibleName(self.tr("What was found"))
        self.remedy.setAccessibleName(self.tr("How to fix it"))
        self.evidence.setAccessibleName(self.tr("Measured values"))
        self._render()

    def show_check(
        self, spec: CheckSpec | None, light: Light, result: CheckResult | None
    ) -> None:
        self._spec = spec
        self._light = light
        self._result = result
        self._render()

    def remedy_text(self) -> str:
        """Return the remedy as shown, followed by the English original if translated."""
        if self._result is None or not self._result.remedy:
            return ""
        shown = translate_text(self._result.remedy).text
        if shown == self._result.remedy:
            return shown
        return f"{shown}\n\n(English) {self._result.remedy}"

    def _render(self) -> None:
        spec, result = self._spec, self._result
        if spec is None:
            self.heading.setText(self.tr("Select a check to see its details."))
            for widget in (
                self.status_icon,
                self.status_word,
                self.requirement,
                self.summary_caption,
                self.summary,
                self.remedy_caption,
                self.remedy,
                self.copy_remedy,
                self.english_note,
                self.evidence_caption,
                self.evidence,
            ):
                widget.setVisible(False)
            return

        self.heading.setText(translate_title(spec.title).text)
        self.status_icon.setPixmap(light_icon(self._light).pixmap(48, 48))
        self.status_word.setText(light_word(self._light))
        self.requirement.setText(
            self.tr("Requirement: %1").replace(
                "%1", translate_text(spec.requirement).text
            )
        )
        for widget in (self.status_icon, self.status_word, self.requirement):
            widget.setVisible(True)

        untranslated = False
        if result is None:
            self.summary.setText(self.tr("This check has not finished yet."))
            remedy = ""
            self.evidence.setPlainText("")
        else:
            summary = translate_text(result.summary)
            self.summary.setText(summary.text)
            fix = translate_text(result.remedy)
            remedy = fix.text
            untranslated = not (summary.translated and fix.translated)
            self.evidence.setPlainText(
                json.dumps(
                    dict(result.evidence), indent=2, ensure_ascii=False, default=str
                )
            )
        self.summary_caption.setVisible(True)
        self.summary.setVisible(True)
        for widget in (self.remedy_caption, self.remedy, self.copy_remedy):
            widget.setVisible(bool(remedy))
        self.remedy.setText(remedy)
        self.english_note.setText(
            self.tr("Part of this text has no translation yet and is shown in English.")
        )
        # The source texts are English, so nothing is missing while English is shown.
        self.english_note.setVisible(untranslated and self.language != "en")
        has_evidence = result is not None
        self.evidence_caption.setVisible(has_evidence)
        self.evidence.setVisible(has_evidence)

    def _copy_remedy(self) -> None:
        text = self.remedy_text()
        if text:
            QGuiApplication.clipboard().setText(text)
            self.remedy_copied.emit(text)
