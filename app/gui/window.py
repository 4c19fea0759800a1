"""The main window: instance field, Run and Cancel, progress, verdict, checks, details."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QElapsedTimer, QEvent, QSettings, Qt, QTimer, QUrl
from PySide6.QtGui import (
    QAction,
    QActionGroup,
    QDesktopServices,
    QGuiApplication,
    QKeySequence,
)
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app import __version__
from app.core.model import CheckResult, CheckSpec, Verdict, problem_count
from app.core.paths import user_data_dir, user_log_dir
from app.core.report import ReportError, build_report
from app.core.runner import RunResult
from app.core.session import InputError, Plan, prepare
from app.gui.checklist import CheckList
from app.gui.details import DetailsPane
from app.gui.export import default_file_name, export_report
from app.gui.i18n import LANGUAGES, SYSTEM, Translations, resolve_language
from app.gui.instancefield import InstanceField
from app.gui.lights import BANNER_BACKGROUNDS, COLOURS, Light, light_icon, light_word
from app.gui.partial import cancelled_report
from app.gui.texts import translate_text, translate_title
from app.gui.worker import RunWorker

log = logging.getLogger(__name__)

LAST_REPORT_HTML = "last-report.html"
PlanFactory = Callable[[str], Plan]


class State:
    IDLE = "idle"
    RUNNING = "running"
    CANCELLING = "cancelling"


class MainWindow(QMainWindow):
    """The dashboard. `plan_factory` turns the instance text into a Plan (tests use it
    to point the run at a lab resolver); it raises InputError for invalid input."""

    def __init__(
        self,
        settings: QSettings,
        translations: Translations,
        *,
        profile_path: Path | None = None,
        public_roots: Path | None = None,
        plan_factory: PlanFactory | None = None,
        worker: RunWorker | None = None,
    ) -> None:
        super().__init__()
        self.settings = settings
        self.translations = translations
        self.profile_path = profile_path
        self.public_roots = public_roots
        self.plan_factory = plan_factory or self._prepare
        self.worker = worker or RunWorker(self)
        self.open_url: Callable[[QUrl], bool] = QDesktopServices.openUrl
        self.state = State.IDLE
        self.plan: Plan | None = None
        self.run_result: RunResult | None = None
        self.report: dict[str, Any] | None = None
        self.results: dict[str, CheckResult] = {}
        self._specs: dict[str, CheckSpec] = {}
        self._running: list[str] = []
        self._started_at = dt.datetime.now(dt.UTC)
        self._banner_light = Light.WAITING
        self._banner_kind = "start"
        self._message_kind = ""
        self._message_args: tuple[str, ...] = ()

        self.setObjectName("mainWindow")
        self._build_widgets()
        self._build_menus()
        self._connect()
        self.instance.setText(str(settings.value("instance", "") or ""))
        self.resize(1100, 700)
        self._clock = QElapsedTimer()
        self._run_seconds = 0.0
        self._tick = QTimer(self)
        self._tick.setInterval(250)
        self._tick.timeout.connect(self._show_elapsed)
        self.retranslate()
        self._update_buttons()
        QTimer.singleShot(0, self.worker.warm_up)

    # Construction ---------------------------------------------------------------

    def _build_widgets(self) -> None:
        central = QWidget()
        layout = QVBoxLayout(central)

        self.instance_label = QLabel()
        self.instance = InstanceField()
        self.instance.setObjectName("instance")
        self.instance.setClearButtonEnabled(True)
        self.instance_label.setBuddy(self.instance)
        self.run_button = QPushButton()
        self.run_button.setObjectName("run")
        self.run_button.setDefault(True)
        self.cancel_button = QPushButton()
        self.cancel_button.setObjectName("cancel")
        top = QHBoxLayout()
        top.addWidget(self.instance_label)
        top.addWidget(self.instance, 1)
        top.addWidget(self.run_button)
        top.addWidget(self.cancel_button)
        layout.addLayout(top)

        self.profile_note = QLabel()
        self.profile_note.setObjectName("profileNote")
        self.profile_note.setStyleSheet("QLabel { color: #5f6368; }")
        layout.addWidget(self.profile_note)

        self.progress = QProgressBar()
        self.progress.setObjectName("progress")
        self.progress.setTextVisible(True)
        self.step = QLabel()
        self.step.setObjectName("step")
        self.elapsed = QLabel()
        self.elapsed.setObjectName("elapsed")
        progress_row = QHBoxLayout()
        progress_row.addWidget(self.progress, 2)
        progress_row.addWidget(self.step, 3)
        progress_row.addWidget(self.elapsed)
        layout.addLayout(progress_row)

        self.banner_icon = QLabel()
        self.banner_icon.setFixedSize(40, 40)
        self.banner_icon.setScaledContents(True)
        self.banner = QLabel()
        self.banner.setObjectName("verdict")
        self.banner.setWordWrap(True)
        self.banner.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
        )
        self.banner.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        font = self.banner.font()
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setBold(True)
        self.banner.setFont(font)
        self.banner_frame = QWidget()
        self.banner_frame.setObjectName("verdictFrame")
        self.banner_frame.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        banner_row = QHBoxLayout(self.banner_frame)
        banner_row.addWidget(self.banner_icon)
        banner_row.addWidget(self.banner, 1)
        layout.addWidget(self.banner_frame)

        self.message = QLabel()
        self.message.setObjectName("message")
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByKeyboard
            | Qt.TextInteractionFlag.TextSelectableByMouse
        )
        self.message.setStyleSheet(
            "QLabel { background: #fdecea; color: #1b1b1b; border: 1px solid #b3261e; "
            "padding: 6px; }"
        )
        self.message.setVisible(False)
        layout.addWidget(self.message)

        self.checks = CheckList()
        self.details = DetailsPane()
        details_scroll = QScrollArea()
        details_scroll.setWidget(self.details)
        details_scroll.setWidgetResizable(True)
        details_scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.checks)
        splitter.addWidget(details_scroll)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        splitter.setChildrenCollapsible(False)
        layout.addWidget(splitter, 1)

        self.export_button = QPushButton()
        self.export_button.setObjectName("export")
        self.copy_summary_button = QPushButton()
        self.copy_summary_button.setObjectName("copySummary")
        self.last_report_button = QPushButton()
        self.last_report_button.setObjectName("lastReport")
        self.log_folder_button = QPushButton()
        self.log_folder_button.setObjectName("logFolder")
        bottom = QHBoxLayout()
        for button in (
            self.export_button,
            self.copy_summary_button,
            self.last_report_button,
            self.log_folder_button,
        ):
            bottom.addWidget(button)
        bottom.addStretch(1)
        layout.addLayout(bottom)

        self.setCentralWidget(central)
        self.setTabOrder(self.instance, self.run_button)
        self.setTabOrder(self.run_button, self.cancel_button)
        self.setTabOrder(self.cancel_button, self.banner)
        self.setTabOrder(self.banner, self.checks)

    def _build_menus(self) -> None:
        bar = self.menuBar()
        self.file_menu = bar.addMenu("")
        self.export_action = QAction(self)
        self.export_action.setShortcut(QKeySequence.StandardKey.Save)
        self.open_profile_action = QAction(self)
        self.last_report_action = QAction(self)
        self.log_folder_action = QAction(self)
        self.quit_action = QAction(self)
        self.quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        for action in (
            self.export_action,
            self.open_profile_action,
            self.last_report_action,
            self.log_folder_action,
        ):
            self.file_menu.addAction(action)
        self.file_menu.addSeparator()
        self.file_menu.addAction(self.quit_action)

        self.run_action = QAction(self)
        self.run_action.setShortcut(QKeySequence(Qt.Key.Key_F5))
        self.addAction(self.run_action)

        self.language_menu = bar.addMenu("")
        self.language_group = QActionGroup(self)
        self.language_group.setExclusive(True)
        self.language_actions: dict[str, QAction] = {}
        for code in (SYSTEM, *LANGUAGES):
            action = QAction(self)
            action.setCheckable(True)
            action.setData(code)
            self.language_group.addAction(action)
            self.language_menu.addAction(action)
            self.language_actions[code] = action
        saved = str(self.settings.value("language", SYSTEM) or SYSTEM)
        self.language_actions.get(saved, self.language_actions[SYSTEM]).setChecked(True)

        self.help_menu = bar.addMenu("")
        self.about_action = QAction(self)
        self.help_menu.addAction(self.about_action)

    def _connect(self) -> None:
        self.run_button.clicked.connect(self.start_run)
        self.run_action.triggered.connect(self.start_run)
        self.instance.returnPressed.connect(self.start_run)
        self.cancel_button.clicked.connect(self.cancel_run)
        self.export_button.clicked.connect(self.choose_export)
        self.export_action.triggered.connect(self.choose_export)
        self.copy_summary_button.clicked.connect(self.copy_summary)
        self.last_report_button.clicked.connect(self.open_last_report)
        self.last_report_action.triggered.connect(self.open_last_report)
        self.log_folder_button.clicked.connect(self.open_log_folder)
        self.log_folder_action.triggered.connect(self.open_log_folder)
        self.open_profile_action.triggered.connect(self.choose_profile)
        self.quit_action.triggered.connect(self.close)
        self.about_action.triggered.connect(self.show_about)
        self.language_group.triggered.connect(self._language_chosen)
        self.checks.selected_check.connect(self._show_details)
        self.details.remedy_copied.connect(
            lambda _text: self.statusBar().showMessage(self.tr("Fix copied."), 4000)
        )
        self.worker.check_started.connect(self._check_started)
        self.worker.check_finished.connect(self._check_finished)
        self.worker.run_finished.connect(self._run_finished)
        self.worker.run_cancelled.connect(self._run_cancelled)
        self.worker.run_failed.connect(self._run_failed)
        self.worker.save_failed.connect(
            lambda text: self.show_message("last-report", text)
        )

    # Texts ------------------------------------------------------------------------

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("uContact Network Check"))
        self.instance_label.setText(self.tr("uContact &instance:"))
        self.instance.setPlaceholderText(
            self.tr("Your instance name, or paste your uContact address")
        )
        self.instance.setAccessibleName(self.tr("uContact instance"))
        self.instance.setAccessibleDescription(
            self.tr(
                "The first part of your uContact address, such as acme for "
                "acme.ucontactcloud.com. A pasted address works too."
            )
        )
        self.run_button.setText(self.tr("&Run checks"))
        self.run_button.setAccessibleName(self.tr("Run checks"))
        self.run_button.setToolTip(self.tr("Run all checks (F5)"))
        self.cancel_button.setText(self.tr("&Cancel"))
        self.cancel_button.setAccessibleName(self.tr("Cancel the run"))
        self.progress.setAccessibleName(self.tr("Progress"))
        self.step.setAccessibleName(self.tr("Step in progress"))
        self.elapsed.setAccessibleName(self.tr("Elapsed time"))
        self.banner.setAccessibleName(self.tr("Verdict"))
        self.message.setAccessibleName(self.tr("Message"))
        self.export_button.setText(self.tr("E&xport report…"))
        self.export_button.setAccessibleName(self.tr("Export report"))
        self.export_button.setToolTip(self.tr("Save the report as PDF, HTML or JSON"))
        self.copy_summary_button.setText(self.tr("Copy &summary"))
        self.copy_summary_button.setAccessibleName(self.tr("Copy summary"))
        self.copy_summary_button.setToolTip(
            self.tr("Copy the verdict and every result to the clipboard")
        )
        self.last_report_button.setText(self.tr("Open &last report"))
        self.last_report_button.setAccessibleName(self.tr("Open last report"))
        self.log_folder_button.setText(self.tr("Open lo&g folder"))
        self.log_folder_button.setAccessibleName(self.tr("Open log folder"))

        self.file_menu.setTitle(self.tr("&File"))
        self.export_action.setText(self.tr("&Export report…"))
        self.open_profile_action.setText(self.tr("Use a requirements &profile…"))
        self.last_report_action.setText(self.tr("Open &last report"))
        self.log_folder_action.setText(self.tr("Open lo&g folder"))
        self.quit_action.setText(self.tr("&Quit"))
        self.run_action.setText(self.tr("Run checks"))
        self.language_menu.setTitle(self.tr("&Language"))
        self.language_actions[SYSTEM].setText(self.tr("&System language"))
        for code, name in LANGUAGES.items():
            self.language_actions[code].setText(name)
        self.help_menu.setTitle(self.tr("&Help"))
        self.about_action.setText(self.tr("&About uContact Network Check"))

        self.details.language = self.translations.language
        self.checks.retranslate()
        self.details.retranslate()
        self._render_profile_note()
        self._render_banner()
        self._render_message()
        self._render_step()
        self._show_elapsed()
        self.progress.setFormat(self.tr("%v of %m checks"))

    def _render_profile_note(self) -> None:
        if self.profile_path is None:
            self.profile_note.setVisible(False)
            return
        self.profile_note.setText(
            self.tr("Requirements profile: %1").replace("%1", str(self.profile_path))
        )
        self.profile_note.setVisible(True)

    def verdict_text(self) -> str:
        """Return the banner's sentence in the window language."""
        if self._banner_kind == "running":
            return self.tr("Checking your network…")
        if self._banner_kind == "cancelled":
            return self.tr("Cancelled: no verdict. Run the checks again.")
        if self._banner_kind == "failed":
            return self.tr("The checks could not run.")
        if self._banner_kind == "start":
            return self.tr("Enter your uContact instance and press Run checks.")
        if self.run_result is None:
            return ""
        verdict = self.run_result.verdict
        if verdict is Verdict.READY:
            return self.tr("Ready for calls")
        if verdict is Verdict.WARNINGS:
            return self.tr("Ready, with warnings")
        problems = problem_count(self.run_result.results)
        return self.tr("Not ready: %n problem(s)", "", problems)

    def _render_banner(self) -> None:
        light = self._banner_light
        self.banner.setText(self.verdict_text())
        self.banner_icon.setPixmap(light_icon(light).pixmap(80, 80))
        self.banner_icon.setVisible(self._banner_kind == "verdict")
        self.banner_frame.setStyleSheet(
            f"QWidget#verdictFrame {{ background: {BANNER_BACKGROUNDS[light]}; "
            f"border: 2px solid {COLOURS[light]}; border-radius: 6px; }}"
            " QLabel { color: #1b1b1b; background: transparent; border: none; }"
        )

    def _render_message(self) -> None:
        kind, args = self._message_kind, self._message_args
        if not kind:
            self.message.setVisible(False)
            return
        if kind == "input":
            # The core writes input errors in English, so known sentences are
            # translated here and the others stay English.
            args = tuple(translate_text(value).text for value in args)
        texts = {
            "input": self.tr("%1"),
            "failed": self.tr(
                "The run stopped because of an internal error (%1). "
                "The log file has the details."
            ),
            "export": self.tr(
                "The report was not exported: %1 The results are still on screen."
            ),
            "no-report": self.tr("There is no report yet: run the checks first."),
            "open-failed": self.tr("Could not open %1: no program is set to open it."),
            "last-report": self.tr("The last report was not kept: %1"),
        }
        text = texts[kind]
        for index, value in enumerate(args, start=1):
            text = text.replace(f"%{index}", value)
        self.message.setText(text)
        self.message.setVisible(True)

    def show_message(self, kind: str, *args: str) -> None:
        """Show an error in words above the checks; `kind` selects the sentence."""
        self._message_kind = kind
        self._message_args = args
        self._render_message()

    def clear_message(self) -> None:
        self.show_message("")

    def _render_step(self) -> None:
        if self.state == State.CANCELLING:
            self.step.setText(self.tr("Cancelling…"))
        elif self.state == State.RUNNING and self._running:
            title = translate_title(self._specs[self._running[-1]].title).text
            self.step.setText(self.tr("Checking: %1").replace("%1", title))
        elif self.state == State.RUNNING:
            self.step.setText(self.tr("Starting…"))
        elif self.run_result is not None:
            self.step.setText(self.tr("Finished"))
        else:
            self.step.setText("")

    def _show_elapsed(self) -> None:
        if not self._clock.isValid():
            self.elapsed.setText("")
            return
        if self._tick.isActive():
            seconds = self._clock.elapsed() / 1000
        else:
            seconds = self._run_seconds
        self.elapsed.setText(self.tr("%1 s").replace("%1", f"{seconds:.1f}"))

    # Runs -------------------------------------------------------------------------

    def _prepare(self, instance_text: str) -> Plan:
        return prepare(instance_text, self.profile_path, self.public_roots)

    def start_run(self) -> None:
        if self.state != State.IDLE:
            return
        try:
            plan = self.plan_factory(self.instance.text())
        except InputError as exc:
            log.info("input rejected: %s", exc)
            self._clear_previous_run()
            self._set_banner("start", Light.WAITING)
            self.show_message("input", str(exc))
            self.instance.setFocus()
            return
        except Exception as exc:
            log.exception("preparing the run failed")
            self._clear_previous_run()
            self._set_banner("failed", Light.FAIL)
            self.show_message("failed", f"{type(exc).__name__}: {exc}")
            return

        self.clear_message()
        self.settings.setValue("instance", self.instance.text().strip())
        self.plan = plan
        self.run_result = None
        self.report = None
        self.results = {}
        self._running = []
        self._started_at = dt.datetime.now(dt.UTC)
        specs = [check.spec for check in plan.checks]
        self._specs = {spec.id: spec for spec in specs}
        self.checks.show_specs(specs)
        self.details.show_check(None, Light.WAITING, None)
        self.progress.setRange(0, len(specs))
        self.progress.setValue(0)
        self._set_banner("running", Light.RUNNING)
        self.state = State.RUNNING
        self._clock.start()
        self._tick.start()
        self._update_buttons()
        try:
            self.worker.start(plan)
        except RuntimeError as exc:
            log.error("run not started: %s", exc)
            self._run_failed(str(exc))
            return
        self.cancel_button.setFocus()

    def _clear_previous_run(self) -> None:
        """Remove the last run's verdict, results and report from the window.

        A run that does not start must not leave the previous verdict on screen,
        where it would read as the verdict for the instance just entered.
        """
        self.plan = None
        self.run_result = None
        self.report = None
        self.results = {}
        self._running = []
        self._specs = {}
        self.checks.show_specs([])
        self.details.show_check(None, Light.WAITING, None)
        self.progress.setValue(0)
        self._clock.invalidate()
        self._show_elapsed()
        self._render_step()
        self._update_buttons()

    def cancel_run(self) -> None:
        if self.state != State.RUNNING:
            return
        self.state = State.CANCELLING
        self.worker.cancel()
        self._render_step()
        self._update_buttons()

    def _check_started(self, spec: CheckSpec) -> None:
        if spec.id not in self._specs:
            return
        self._running.append(spec.id)
        self.checks.mark_running(spec)
        self._render_step()

    def _check_finished(self, result: CheckResult) -> None:
        if result.id in self._running:
            self._running.remove(result.id)
        self.results[result.id] = result
        self.checks.set_result(result)
        self.progress.setValue(len(self.results))
        self._render_step()
        if self._is_selected(result.id):
            self._show_details(result.id)

    def _is_selected(self, check_id: str) -> bool:
        item = self.checks.currentItem()
        return item is not None and item.data(0, Qt.ItemDataRole.UserRole) == check_id

    def _run_finished(self, run: RunResult) -> None:
        self._stop_clock()
        self.state = State.IDLE
        self.run_result = run
        assert self.plan is not None
        self.report = build_report(run, self.plan.profile)
        self._keep_last_report(self.report)
        light = {
            Verdict.READY: Light.PASS,
            Verdict.WARNINGS: Light.WARN,
            Verdict.NOT_READY: Light.FAIL,
        }[run.verdict]
        self._set_banner("verdict", light)
        self._render_step()
        self._update_buttons()
        self.checks.select_check(
            self.checks.first_problem() or next(iter(self._specs), "")
        )
        self.banner.setFocus()

    def _run_cancelled(self) -> None:
        self._stop_clock()
        self.state = State.IDLE
        self._running = []
        self.checks.mark_unfinished_skipped()
        # The finished results stay exportable, in a report marked as incomplete.
        if self.plan is not None:
            self.report = cancelled_report(
                self.plan,
                list(self._specs.values()),
                self.results,
                self._started_at,
            )
        self._set_banner("cancelled", Light.UNKNOWN)
        self._render_step()
        self._update_buttons()
        self.run_button.setFocus()

    def _run_failed(self, detail: str) -> None:
        self._stop_clock()
        self.state = State.IDLE
        self._running = []
        self.checks.mark_unfinished_skipped()
        self._set_banner("failed", Light.FAIL)
        self.show_message("failed", detail)
        self._render_step()
        self._update_buttons()

    def _stop_clock(self) -> None:
        self._tick.stop()
        self._run_seconds = self._clock.elapsed() / 1000
        self._show_elapsed()

    def _set_banner(self, kind: str, light: Light) -> None:
        self._banner_kind = kind
        self._banner_light = light
        self._render_banner()

    def _update_buttons(self) -> None:
        idle = self.state == State.IDLE
        has_report = self.report is not None
        self.run_button.setEnabled(idle)
        self.run_action.setEnabled(idle)
        self.instance.setEnabled(idle)
        self.open_profile_action.setEnabled(idle)
        self.cancel_button.setEnabled(self.state == State.RUNNING)
        for widget in (
            self.export_button,
            self.export_action,
            self.copy_summary_button,
        ):
            widget.setEnabled(idle and has_report)
        self.progress.setVisible(
            self.state != State.IDLE
            or self.run_result is not None
            or bool(self.results)
        )

    def _keep_last_report(self, report: dict[str, Any]) -> None:
        self.worker.keep_last_report(report, LAST_REPORT_HTML)

    def _show_details(self, check_id: str) -> None:
        spec = self._specs.get(check_id)
        if spec is None:
            self.details.show_check(None, Light.WAITING, None)
            return
        self.details.show_check(
            spec, self.checks.light_of(check_id), self.results.get(check_id)
        )

    # Actions ----------------------------------------------------------------------

    def choose_export(self) -> None:
        if self.report is None:
            return
        folder = Path(str(self.settings.value("export_folder", "") or Path.home()))
        suggested = folder / default_file_name(self.report, "pdf")
        filters = ";;".join(
            [
                self.tr("PDF document (*.pdf)"),
                self.tr("Web page (*.html)"),
                self.tr("JSON data (*.json)"),
            ]
        )
        name, chosen_filter = QFileDialog.getSaveFileName(
            self, self.tr("Export report"), str(suggested), filters
        )
        if not name:
            return
        path = Path(name)
        if not path.suffix:
            extension = (
                "pdf"
                if "pdf" in chosen_filter
                else ("html" if "html" in chosen_filter else "json")
            )
            path = path.with_suffix(f".{extension}")
        self.export_to(path)

    def export_to(self, path: Path) -> bool:
        """Write the current report to `path`; a failure is shown and logged."""
        if self.report is None:
            self.show_message("no-report")
            return False
        try:
            export_report(self.report, path)
        except ReportError as exc:
            log.error("export to %s failed: %s", path, exc)
            self.show_message("export", str(exc))
            return False
        self.settings.setValue("export_folder", str(path.parent))
        self.clear_message()
        self.statusBar().showMessage(
            self.tr("Report saved to %1").replace("%1", str(path)), 8000
        )
        return True

    def summary_text(self) -> str:
        """Return the verdict and each result as plain text in the window language."""
        if self.report is None:
            return ""
        lines = [
            self.tr("uContact Network Check %1").replace("%1", __version__),
            self.tr("Instance: %1").replace("%1", self.report["instance"]),
            self.tr("Started: %1").replace("%1", self.report["started"]),
            self.verdict_text(),
            "",
        ]
        for check in self.report["checks"]:
            light = Light(check["status"])
            title = translate_title(check["title"]).text
            summary = translate_text(check["summary"]).text
            lines.append(f"[{light_word(light)}] {title}: {summary}")
            if check["remedy"]:
                fix = translate_text(check["remedy"]).text
                lines.append("    " + self.tr("Fix: %1").replace("%1", fix))
        return "\n".join(lines) + "\n"

    def copy_summary(self) -> None:
        text = self.summary_text()
        if text:
            QGuiApplication.clipboard().setText(text)
            self.statusBar().showMessage(self.tr("Summary copied."), 4000)

    def open_last_report(self) -> None:
        path = user_data_dir() / LAST_REPORT_HTML
        if not path.is_file():
            self.show_message("no-report")
            return
        self._open(path)

    def open_log_folder(self) -> None:
        folder = user_log_dir()
        folder.mkdir(parents=True, exist_ok=True)
        self._open(folder)

    def _open(self, path: Path) -> None:
        if not self.open_url(QUrl.fromLocalFile(str(path))):
            log.warning("no program opened %s", path)
            self.show_message("open-failed", str(path))

    def choose_profile(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self,
            self.tr("Use a requirements profile"),
            str(Path.home()),
            self.tr("Requirements profile (*.toml)"),
        )
        if name:
            self.profile_path = Path(name)
            self._render_profile_note()

    def show_about(self) -> QMessageBox:
        box = QMessageBox(self)
        box.setObjectName("about")
        box.setWindowTitle(self.tr("About uContact Network Check"))
        box.setIcon(QMessageBox.Icon.Information)
        box.setText(self.tr("uContact Network Check %1").replace("%1", __version__))
        box.setInformativeText(
            self.tr(
                "Checks whether this computer's network is ready for uContact calls and "
                "writes a report for the helpdesk.\n\nLog folder: %1"
            ).replace("%1", str(user_log_dir()))
        )
        box.open()
        return box

    def _language_chosen(self, action: QAction) -> None:
        choice = str(action.data())
        self.settings.setValue("language", choice)
        self.translations.install(resolve_language(choice))
        # Qt also posts LanguageChange to every widget; retranslating now shows the
        # new language without waiting for those events.
        self.retranslate()

    # Closing ----------------------------------------------------------------------

    def closeEvent(self, event: Any) -> None:
        if self.state != State.IDLE:
            log.info("window closed during a run; cancelling it")
        self.worker.shutdown()
        self.settings.sync()
        super().closeEvent(event)
