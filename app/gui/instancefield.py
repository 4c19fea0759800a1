"""The instance field: a line edit that selects its text on focus for pasting."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFocusEvent, QMouseEvent
from PySide6.QtWidgets import QLineEdit

# A context menu returns focus with PopupFocusReason: its Paste must replace the
# selection that the right click kept, so that reason leaves the selection alone.
_SELECTING_REASONS = (
    Qt.FocusReason.TabFocusReason,
    Qt.FocusReason.BacktabFocusReason,
    Qt.FocusReason.ShortcutFocusReason,
    Qt.FocusReason.ActiveWindowFocusReason,
    Qt.FocusReason.OtherFocusReason,
)


class InstanceField(QLineEdit):
    """A QLineEdit that selects all its text when it gets focus.

    Agents paste a whole address over the remembered instance name, so the old name
    must not stay in front of the paste. A left click selects on release, because the
    press that gave focus places the cursor and clears the selection. A drag that
    selects part of the text keeps that part.
    """

    def __init__(self) -> None:
        super().__init__()
        self._select_on_release = False

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        reason = event.reason()
        if reason == Qt.FocusReason.MouseFocusReason:
            # A right press keeps this selection for the context menu's Paste.
            self._select_on_release = True
            self.selectAll()
        elif reason in _SELECTING_REASONS:
            self.selectAll()

    def focusOutEvent(self, event: QFocusEvent) -> None:
        self._select_on_release = False
        super().focusOutEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        super().mouseReleaseEvent(event)
        if not self._select_on_release:
            return
        self._select_on_release = False
        if event.button() == Qt.MouseButton.LeftButton and not self.hasSelectedText():
            self.selectAll()
