"""Run the checks on an asyncio loop in one worker thread and report through Qt signals.

The window never touches asyncio objects and the worker never touches widgets: the
observer methods run on the loop thread and only emit signals, which Qt queues to the
GUI thread because the worker object lives there.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal

from app.core.checks import load_kinds
from app.core.model import CheckResult, CheckSpec
from app.core.paths import user_data_dir
from app.core.report import ReportError, save_last_report, write_html
from app.core.session import Plan, execute, new_event_loop

log = logging.getLogger(__name__)

# Seconds that closing the window waits for a cancelled run to close its sockets.
SHUTDOWN_WAIT_S = 5.0


class _SignalObserver:
    """The runner's observer: forwards progress from the loop thread as signals."""

    def __init__(self, worker: RunWorker) -> None:
        self.worker = worker

    def check_started(self, spec: CheckSpec) -> None:
        self.worker.check_started.emit(spec)

    def check_finished(self, result: CheckResult) -> None:
        self.worker.check_finished.emit(result)


class RunWorker(QObject):
    """Owns the loop thread; runs one plan at a time.

    `thread_setup`, if given, runs first on the loop thread (a lab test uses it to move
    that thread into a network namespace).
    """

    check_started = Signal(object)  # CheckSpec
    check_finished = Signal(object)  # CheckResult
    run_finished = Signal(object)  # RunResult
    run_cancelled = Signal()
    run_failed = Signal(str)  # one sentence for the user; the log has the traceback
    save_failed = Signal(str)  # the last report could not be kept; one sentence

    def __init__(
        self,
        parent: QObject | None = None,
        thread_setup: Callable[[], None] | None = None,
    ) -> None:
        super().__init__(parent)
        self._thread_setup = thread_setup
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._ready = threading.Event()
        self._task: asyncio.Task[None] | None = None
        self._idle = threading.Event()
        self._idle.set()

    @property
    def running(self) -> bool:
        return not self._idle.is_set()

    def start(self, plan: Plan) -> None:
        """Start executing `plan`; progress and the result arrive as signals."""
        # The previous run emits its result just before it marks the worker idle,
        # so a Run pressed right after the result waits for that last step.
        if not self._idle.wait(1.0):
            raise RuntimeError("a run is already in progress")
        self._ensure_thread()
        assert self._loop is not None
        self._idle.clear()
        self._loop.call_soon_threadsafe(self._begin, plan)

    def warm_up(self) -> None:
        """Start the loop thread and import the check modules there.

        The first import of the check modules (aiohttp, aioice, cryptography) takes
        about 200 ms on a 2-core test machine; done here, it does not stall the GUI
        thread when the user presses Run. A failed start is logged; `start` retries.
        """
        try:
            self._ensure_thread()
        except RuntimeError as exc:
            log.error("check thread not started: %s", exc)
            return
        assert self._loop is not None
        self._loop.call_soon_threadsafe(self._import_modules)

    def keep_last_report(self, report: dict[str, Any], html_name: str) -> None:
        """Save the report as the last one (JSON and HTML) off the GUI thread."""
        self._ensure_thread()
        assert self._loop is not None
        self._loop.call_soon_threadsafe(self._keep_last_report, report, html_name)

    def cancel(self) -> None:
        """Cancel the run in progress, if any; `run_cancelled` follows."""
        loop = self._loop
        if loop is not None and self.running:
            loop.call_soon_threadsafe(self._cancel_task)

    def shutdown(self, wait_s: float = SHUTDOWN_WAIT_S) -> bool:
        """Cancel any run, stop the loop and join the thread; False if it hung."""
        self.cancel()
        finished = self._idle.wait(wait_s)
        if not finished:
            log.error("run did not stop within %.1f s of cancellation", wait_s)
        loop, thread = self._loop, self._thread
        if loop is not None and thread is not None:
            loop.call_soon_threadsafe(loop.stop)
            thread.join(wait_s)
            if thread.is_alive():
                log.error("check thread did not stop within %.1f s", wait_s)
                return False
        self._loop = None
        self._thread = None
        return finished

    def _ensure_thread(self) -> None:
        if self._thread is not None:
            return
        self._ready.clear()
        self._thread = threading.Thread(
            target=self._thread_main, name="checks-loop", daemon=True
        )
        self._thread.start()
        self._ready.wait()
        if self._loop is None:
            self._thread = None
            raise RuntimeError("the check thread failed to start; see the log")

    def _thread_main(self) -> None:
        try:
            if self._thread_setup is not None:
                self._thread_setup()
            loop = new_event_loop()
        except Exception:
            log.exception("check thread setup failed")
            self._ready.set()
            return
        asyncio.set_event_loop(loop)
        self._loop = loop
        self._ready.set()
        try:
            loop.run_forever()
        finally:
            pending = asyncio.all_tasks(loop)
            for task in pending:
                task.cancel()
            loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
            loop.run_until_complete(loop.shutdown_asyncgens())
            loop.close()

    @staticmethod
    def _import_modules() -> None:
        started = time.perf_counter()
        load_kinds()
        log.info(
            "check modules imported in %.0f ms", (time.perf_counter() - started) * 1000
        )

    def _keep_last_report(self, report: dict[str, Any], html_name: str) -> None:
        # Both writes fsync, which can take tens of milliseconds on a slow disk.
        try:
            path = save_last_report(report)
            write_html(report, user_data_dir() / html_name)
        except ReportError as exc:
            log.warning("last report not kept: %s", exc)
            self.save_failed.emit(str(exc))
        else:
            log.info("last report kept in %s", path.parent)

    def _begin(self, plan: Plan) -> None:
        task = asyncio.get_running_loop().create_task(
            self._execute(plan), name=f"run-{plan.instance}"
        )
        task.add_done_callback(self._task_done)
        self._task = task

    def _cancel_task(self) -> None:
        if self._task is not None:
            log.info("cancelling %s", self._task.get_name())
            self._task.cancel()

    def _task_done(self, task: asyncio.Task[None]) -> None:
        # A task cancelled before its first step never enters `_execute`'s handlers.
        if task.cancelled():
            self.run_cancelled.emit()
        self._task = None
        self._idle.set()

    async def _execute(self, plan: Plan) -> None:
        observer = _SignalObserver(self)
        try:
            log.info(
                "run started: instance %s, profile %s, %d checks",
                plan.instance,
                plan.profile.path,
                len(plan.checks),
            )
            result = await execute(plan, observer)
        except asyncio.CancelledError:
            log.info("run cancelled: instance %s", plan.instance)
            self.run_cancelled.emit()
        except Exception as exc:
            log.exception("run failed: instance %s", plan.instance)
            self.run_failed.emit(f"{type(exc).__name__}: {exc}")
        else:
            log.info(
                "run finished: instance %s, verdict %s",
                plan.instance,
                result.verdict.value,
            )
            self.run_finished.emit(result)
