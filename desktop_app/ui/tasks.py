"""One task runner: database and file work runs off the GUI thread, one job at a time.

Jobs run in submission order on a single worker thread, so SQLite never sees two writers from this
process. Results come back to the GUI thread through a queued signal. A job submitted with a
`title` shows a progress dialog (after a short delay) with a Cancel button; such a job is called
with `progress(done, total, message)` and `cancelled()` keyword arguments, which services accept.
"""

from __future__ import annotations

import itertools
import logging
import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from desktop_app.domain.errors import Cancelled, PartDeskError
from desktop_app.ui.app_events import AppEvents, Change

log = logging.getLogger(__name__)

SHOW_PROGRESS_AFTER_MS = 300


@dataclass
class _Job:
    job_id: int
    fn: Callable[..., Any]
    long: bool
    on_done: Callable[[Any], None] | None
    on_error: Callable[[BaseException], None] | None
    changes: Change | None
    cancel_event: threading.Event = field(default_factory=threading.Event)
    dialog: QProgressDialog | None = None


def _alive(callback: Callable[..., Any] | None) -> bool:
    """False for None and for a method of a widget that was deleted while the job ran."""
    if callback is None:
        return False
    owner = getattr(callback, "__self__", None)
    return not isinstance(owner, QObject) or shiboken6.isValid(owner)


class TaskRunner(QObject):
    _finished = Signal(int, bool, object)  # job id, ok, result or exception
    _progressed = Signal(int, int, int, str)  # job id, done, total, message
    busy_changed = Signal(bool)
    error_raised = Signal(object)  # an exception no on_error handled

    def __init__(self, events: AppEvents, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._events = events
        self._queue: queue.Queue[_Job | None] = queue.Queue()
        self._jobs: dict[int, _Job] = {}
        self._ids = itertools.count(1)
        self._finished.connect(self._on_finished, Qt.ConnectionType.QueuedConnection)
        self._progressed.connect(self._on_progressed, Qt.ConnectionType.QueuedConnection)
        self._stopped = False
        self._thread = threading.Thread(target=self._work, name="partdesk-worker", daemon=True)
        self._thread.start()

    # -- submitting ------------------------------------------------------------------------

    def submit(
        self,
        fn: Callable[[], Any],
        on_done: Callable[[Any], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
        changes: Change | None = None,
    ) -> int:
        """Run `fn()` on the worker; `on_done(result)` or `on_error(exc)` on the GUI thread.
        `changes` is emitted on `data_changed` after a success."""
        return self._enqueue(_Job(next(self._ids), fn, False, on_done, on_error, changes))

    def submit_long(
        self,
        fn: Callable[..., Any],
        title: str,
        parent: QWidget | None,
        on_done: Callable[[Any], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
        changes: Change | None = None,
    ) -> int:
        """Like submit, with a progress dialog and Cancel: `fn(progress=..., cancelled=...)`."""
        job = _Job(next(self._ids), fn, True, on_done, on_error, changes)
        dialog = QProgressDialog(title, self.tr("Cancel"), 0, 0, parent)
        dialog.setWindowTitle(title)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(SHOW_PROGRESS_AFTER_MS)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.canceled.connect(job.cancel_event.set)
        job.dialog = dialog
        return self._enqueue(job)

    def cancel(self, job_id: int) -> None:
        job = self._jobs.get(job_id)
        if job is not None:
            job.cancel_event.set()

    def _enqueue(self, job: _Job) -> int:
        self._jobs[job.job_id] = job
        if len(self._jobs) == 1:
            self.busy_changed.emit(True)
        self._queue.put(job)
        return job.job_id

    @property
    def busy(self) -> bool:
        return bool(self._jobs)

    def shutdown(self, timeout: float = 10.0) -> None:
        """Stop the worker after the current job; results still queued are dropped."""
        self._stopped = True
        for job in list(self._jobs.values()):
            job.cancel_event.set()
        self._queue.put(None)
        self._thread.join(timeout)

    # -- worker thread ---------------------------------------------------------------------

    def _work(self) -> None:
        while True:
            job = self._queue.get()
            if job is None:
                return
            try:
                if job.long:

                    def progress(done: int, total: int, message: str = "", _id=job.job_id) -> None:
                        self._progressed.emit(_id, int(done), int(total), str(message))

                    result = job.fn(progress=progress, cancelled=job.cancel_event.is_set)
                else:
                    result = job.fn()
            except BaseException as exc:  # noqa: BLE001 - handed to the GUI thread
                self._finished.emit(job.job_id, False, exc)
            else:
                self._finished.emit(job.job_id, True, result)

    # -- GUI thread ------------------------------------------------------------------------

    def _on_progressed(self, job_id: int, done: int, total: int, message: str) -> None:
        job = self._jobs.get(job_id)
        if job is None or job.dialog is None:
            return
        job.dialog.setMaximum(max(total, 0))
        job.dialog.setValue(min(done, total) if total else 0)
        if message:
            job.dialog.setLabelText(message)

    def _on_finished(self, job_id: int, ok: bool, payload: Any) -> None:
        job = self._jobs.pop(job_id, None)
        if job is None or self._stopped:
            return
        if job.dialog is not None:
            job.dialog.canceled.disconnect()
            job.dialog.close()
            job.dialog.deleteLater()
        if not self._jobs:
            self.busy_changed.emit(False)
        if ok:
            if job.changes is not None:
                self._events.data_changed.emit(job.changes)
            if _alive(job.on_done):
                job.on_done(payload)
            return
        if not isinstance(payload, PartDeskError | Cancelled):
            log.error("task failed", exc_info=payload)
        if job.on_error is not None:
            if _alive(job.on_error):
                job.on_error(payload)
        else:
            self.error_raised.emit(payload)
