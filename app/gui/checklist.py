"""The checks of a run, grouped by area, each row with its traffic light and word."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QTreeWidget,
    QTreeWidgetItem,
)

from app.core.model import CheckResult, CheckSpec, Status
from app.gui.lights import Light, light_icon, light_word
from app.gui.texts import translate_group, translate_title

_ID_ROLE = Qt.ItemDataRole.UserRole
# Worst first: a group shows the worst light among its finished checks.
_SEVERITY_ORDER = (
    Light.FAIL,
    Light.WARN,
    Light.UNKNOWN,
    Light.RUNNING,
    Light.WAITING,
    Light.SKIPPED,
    Light.PASS,
)


class CheckList(QTreeWidget):
    """A two-column tree: light and word, then the check title, under group rows."""

    selected_check = Signal(str)  # check id, or "" when a group row is selected

    def __init__(self) -> None:
        super().__init__()
        self.setColumnCount(2)
        self.setRootIsDecorated(False)
        self.setItemsExpandable(False)
        self.setUniformRowHeights(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setAllColumnsShowFocus(True)
        self.header().setStretchLastSection(True)
        self.header().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.setObjectName("checkList")
        self._specs: dict[str, CheckSpec] = {}
        self._lights: dict[str, Light] = {}
        self._items: dict[str, QTreeWidgetItem] = {}
        self._groups: dict[str, QTreeWidgetItem] = {}
        self.currentItemChanged.connect(self._current_changed)
        self.retranslate()

    def retranslate(self) -> None:
        self.setHeaderLabels([self.tr("Result"), self.tr("Check")])
        self.setAccessibleName(self.tr("Checks"))
        self.setAccessibleDescription(
            self.tr("The checks grouped by area; select one to see its details.")
        )
        for check_id in self._items:
            self._render(check_id)
        for group in self._groups:
            self._render_group(group)

    def show_specs(self, specs: list[CheckSpec]) -> None:
        """Show `specs` as waiting, grouped in the order of the groups' first checks.

        The profile puts the checks that explain other failures first (name
        resolution in the built-in profile), so its order decides the group order.
        """
        self.clear()
        self._specs = {spec.id: spec for spec in specs}
        self._lights = {spec.id: Light.WAITING for spec in specs}
        self._items = {}
        self._groups = {}
        groups = list(dict.fromkeys(spec.group for spec in specs))
        for group in groups:
            members = [spec for spec in specs if spec.group == group]
            group_item = QTreeWidgetItem(self)
            group_item.setFlags(
                Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
            )
            font = group_item.font(1)
            font.setBold(True)
            group_item.setFont(1, font)
            self._groups[group] = group_item
            for spec in members:
                item = QTreeWidgetItem(group_item)
                item.setData(0, _ID_ROLE, spec.id)
                self._items[spec.id] = item
            group_item.setExpanded(True)
        self.retranslate()

    def mark_running(self, spec: CheckSpec) -> None:
        if spec.id in self._items:
            self._lights[spec.id] = Light.RUNNING
            self._render(spec.id)
            self._render_group(spec.group)

    def set_result(self, result: CheckResult) -> None:
        if result.id not in self._items:
            return
        self._lights[result.id] = Light.of(result.status)
        self._render(result.id)
        self._render_group(result.group)

    def mark_unfinished_skipped(self) -> None:
        """Show the checks that a cancelled run left waiting or running as not run."""
        for check_id, light in self._lights.items():
            if light in (Light.WAITING, Light.RUNNING):
                self._lights[check_id] = Light.SKIPPED
                self._render(check_id)
        for group in self._groups:
            self._render_group(group)

    def light_of(self, check_id: str) -> Light:
        return self._lights[check_id]

    def group_light(self, group: str) -> Light:
        lights = {self._lights[s.id] for s in self._specs.values() if s.group == group}
        for light in _SEVERITY_ORDER:
            if light in lights:
                return light
        return Light.WAITING

    def select_check(self, check_id: str) -> None:
        item = self._items.get(check_id)
        if item is not None:
            self.setCurrentItem(item)

    def first_problem(self) -> str:
        """Return the id of the first red, then yellow or grey check; "" if none."""
        for wanted in (Light.FAIL, Light.WARN, Light.UNKNOWN):
            for check_id, light in self._lights.items():
                if light is wanted:
                    return check_id
        return ""

    def _render(self, check_id: str) -> None:
        item = self._items[check_id]
        light = self._lights[check_id]
        word = light_word(light)
        title = translate_title(self._specs[check_id].title).text
        item.setIcon(0, light_icon(light))
        item.setText(0, word)
        item.setText(1, title)
        for column in (0, 1):
            item.setData(column, Qt.ItemDataRole.AccessibleTextRole, f"{title}: {word}")
        item.setToolTip(1, self._specs[check_id].requirement)

    def _render_group(self, group: str) -> None:
        item = self._groups.get(group)
        if item is None:
            return
        light = self.group_light(group)
        name = translate_group(group)
        item.setIcon(0, light_icon(light))
        item.setText(0, light_word(light))
        item.setText(1, name)
        for column in (0, 1):
            item.setData(
                column,
                Qt.ItemDataRole.AccessibleTextRole,
                self.tr("Group %1: %2")
                .replace("%1", name)
                .replace("%2", light_word(light)),
            )

    def _current_changed(
        self, current: QTreeWidgetItem | None, _previous: object
    ) -> None:
        check_id = current.data(0, _ID_ROLE) if current is not None else None
        self.selected_check.emit(check_id or "")


def status_counts(results: list[CheckResult]) -> dict[Status, int]:
    counts = {status: 0 for status in Status}
    for result in results:
        counts[result.status] += 1
    return counts
