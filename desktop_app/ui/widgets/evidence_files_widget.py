"""The files of a part: list with kind, size and SHA-256, attach (pick or drop) with progress,
preview inside the app, open with the system's viewer, save a copy under a safe name."""

from __future__ import annotations

import shutil
import tempfile
import weakref
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.evidence import ATTACHMENT_KIND_LABELS, AttachmentKind
from desktop_app.domain.people import Permission
from desktop_app.files.sniff import sniff
from desktop_app.services.attachments import AttachmentService
from desktop_app.services.evidence_dto import AttachmentInfo
from desktop_app.ui.app_events import Change
from desktop_app.ui.i18n import tr, tr_n
from desktop_app.ui.local_time import local_datetime
from desktop_app.ui.pages.base import UiSession, error_text, show_error
from desktop_app.ui.settings import ATTACHMENT_LIMIT_MB, LAST_FOLDER
from desktop_app.ui.widgets.attachment_preview_widget import AttachmentPreviewWidget
from desktop_app.ui.widgets.message_label import MessageLabel
from desktop_app.ui.widgets.permission import allow

AUTO_KIND = "auto"


def size_text(size: int) -> str:
    if size >= 1_000_000:
        return f"{size / 1_000_000:.1f} MB"
    return f"{max(1, round(size / 1000))} kB"


class EvidenceFilesWidget(QWidget):
    files_attached = Signal(list)  # AttachmentInfo of the files attached by the last drop/pick

    def __init__(self, session: UiSession, part_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.part_id = part_id
        self._files = AttachmentService(session.ctx)
        self.attachments: list[AttachmentInfo] = []
        # Verified copies for the PDF preview, removed with the widget; copies handed to the
        # system's viewer go to a folder that outlives it (the viewer may still hold them).
        self._preview_dir = Path(tempfile.mkdtemp(prefix="partdesk-preview-"))
        weakref.finalize(self, shutil.rmtree, self._preview_dir, True)
        self._open_dir = Path(tempfile.gettempdir()) / "PartDesk-open"
        self._build_ui()
        self._connect_signals()
        self.retranslate_ui()

    def _build_ui(self) -> None:
        can_record = self.session.actor.can(Permission.RECORD_EVIDENCE)
        self.kind_combo = QComboBox(objectName="attach_kind_combo")
        self.attach_button = QPushButton(objectName="attach_button")
        self.kind_combo.setVisible(can_record)
        self.report_combo = QComboBox(objectName="attach_report_combo")
        self.report_combo.setVisible(can_record)
        self._reports: list[tuple[str, str]] = []  # (report id, number) of current reports
        allow(self.attach_button, self.session.actor, Permission.RECORD_EVIDENCE)
        self.open_button = QPushButton(objectName="open_file_button")
        self.save_button = QPushButton(objectName="save_copy_button")
        self.withdraw_button = QPushButton(objectName="withdraw_file_button")
        self.withdraw_button.setVisible(can_record)
        self.table = QTableWidget(0, 6, objectName="files_table")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents)
        # The SHA-256 is for checking, not reading: a short elided column, full in the tooltip.
        # Long file names are elided too (tooltip): every column stays in view.
        for column, width in ((0, 190), (4, 110)):
            self.table.horizontalHeader().setSectionResizeMode(
                column, QHeaderView.ResizeMode.Interactive)
            self.table.setColumnWidth(column, width)
        self.preview = AttachmentPreviewWidget()
        self.drop_hint = QLabel(objectName="drop_hint")
        self.drop_hint.setWordWrap(True)
        self.message = MessageLabel(objectName="files_message")
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.table)
        split.addWidget(self.preview)
        split.setStretchFactor(1, 1)
        split.setSizes([680, 620])
        row = QHBoxLayout()
        for widget in (self.kind_combo, self.report_combo, self.attach_button, self.open_button,
                       self.save_button,
                       self.withdraw_button):
            row.addWidget(widget)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.drop_hint)
        layout.addWidget(split, 1)
        layout.addWidget(self.message)
        self._update_buttons()

    def _connect_signals(self) -> None:
        self.table.itemSelectionChanged.connect(self._on_table_selection_changed)
        self.attach_button.clicked.connect(self._on_attach_button_clicked)
        self.open_button.clicked.connect(self._on_open_button_clicked)
        self.save_button.clicked.connect(self._on_save_button_clicked)
        self.withdraw_button.clicked.connect(self._on_withdraw_button_clicked)

    def retranslate_ui(self) -> None:
        self.attach_button.setText(self.tr("Attach files…"))
        self.open_button.setText(self.tr("Open"))
        self.save_button.setText(self.tr("Save a copy…"))
        self.withdraw_button.setText(self.tr("Withdraw…"))
        self.drop_hint.setText(self.tr(
            "Drop files here to attach them (PDF, PNG, JPEG, TIFF, CSV, XLSX, TXT, DXF, STEP)."))
        current = self.kind_combo.currentData()
        self.kind_combo.clear()
        self.kind_combo.addItem(self.tr("Kind: automatic (photo for images)"), AUTO_KIND)
        for kind in AttachmentKind:
            self.kind_combo.addItem(tr("Evidence", ATTACHMENT_KIND_LABELS[kind]), str(kind))
        self.kind_combo.setCurrentIndex(max(0, self.kind_combo.findData(current)))
        self.set_reports(self._reports)
        self.table.setHorizontalHeaderLabels([
            self.tr("File"), self.tr("Kind"), self.tr("Report"), self.tr("Size"),
            self.tr("SHA-256"), self.tr("Attached")])
        self.set_attachments(self.attachments)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    def set_reports(self, reports: list[tuple[str, str]]) -> None:
        """The reports new files may be attached to: (report id, number)."""
        self._reports = list(reports)
        current = self.report_combo.currentData()
        self.report_combo.clear()
        self.report_combo.addItem(self.tr("Attach to the part"), "")
        for report_id, number in self._reports:
            self.report_combo.addItem(self.tr("Attach to report {number}").format(
                number=number), report_id)
        self.report_combo.setCurrentIndex(max(0, self.report_combo.findData(current)))

    def set_attachments(self, attachments: list[AttachmentInfo]) -> None:
        selected = self._current()
        self.attachments = attachments
        self.table.setRowCount(len(attachments))
        for row, a in enumerate(attachments):
            try:
                kind = tr("Evidence", ATTACHMENT_KIND_LABELS[AttachmentKind(a.kind)])
            except ValueError:
                kind = a.kind
            numbers = dict(self._reports)
            values = [a.original_name, kind, numbers.get(a.report_id, ""), size_text(a.size),
                      a.blob_sha256, local_datetime(a.attached_at)]
            for col, text in enumerate(values):
                item = QTableWidgetItem(text)  # plain text: never interpreted as HTML
                item.setData(Qt.ItemDataRole.UserRole, a.attachment_id)
                item.setToolTip(text)
                self.table.setItem(row, col, item)
            if selected is not None and a.attachment_id == selected.attachment_id:
                self.table.selectRow(row)
        self._update_buttons()

    def _current(self) -> AttachmentInfo | None:
        items = self.table.selectedItems()
        key: Any = items[0].data(Qt.ItemDataRole.UserRole) if items else None
        return next((a for a in self.attachments if a.attachment_id == key), None)

    def _update_buttons(self) -> None:
        has_file = self._current() is not None
        self.open_button.setEnabled(has_file)
        self.save_button.setEnabled(has_file)
        self.withdraw_button.setEnabled(has_file)

    # -- attaching -------------------------------------------------------------------------

    def _on_attach_button_clicked(self) -> None:
        folder = self.session.settings.get(LAST_FOLDER)
        names, _ = QFileDialog.getOpenFileNames(self, self.tr("Attach files"), folder)
        if names:
            self.session.settings.set(LAST_FOLDER, str(Path(names[0]).parent))
            self.attach_paths([Path(n) for n in names])

    def attach_paths(self, paths: list[Path]) -> None:
        """Attach files on the task runner with a progress dialog; each file is its own
        all-or-nothing step, and each refusal is one sentence."""
        service, actor, part_id = self._files, self.session.actor, self.part_id
        chosen = self.kind_combo.currentData() or AUTO_KIND
        report_id = self.report_combo.currentData() or ""
        limit = self.session.settings.get(ATTACHMENT_LIMIT_MB)

        def work(progress, cancelled) -> tuple[list[AttachmentInfo], list[str]]:
            done, refused = [], []
            for index, path in enumerate(paths):
                if cancelled():
                    break
                try:
                    kind = chosen
                    if kind == AUTO_KIND:
                        kind = "photo" if sniff(path).is_image else "test_report"
                    done.append(service.attach_file(
                        actor, part_id, path, kind, report_id=report_id, limit_mb=limit,
                        progress=lambda d, t, m, i=index: progress(
                            i * 1000 + (d * 1000 // max(t, 1)), len(paths) * 1000, m),
                        cancelled=cancelled))
                except Exception as exc:  # noqa: BLE001 - one sentence per file
                    refused.append(f"{path.name}: {error_text(exc)}")
            return done, refused

        self.session.tasks.submit_long(work, self.tr("Attaching files"), self,
                                       on_done=self._on_attached,
                                       on_error=lambda e: self.message.show_error(error_text(e)),
                                       changes=Change.of("attachment"))

    def _on_attached(self, result: tuple[list[AttachmentInfo], list[str]]) -> None:
        done, refused = result
        if refused:
            self.message.show_error("\n".join(refused))
        elif done:
            self.message.show_info(tr_n("EvidenceFilesWidget", "%Ln files attached.", len(done)))
        self.files_attached.emit(done)

    # -- looking at files ------------------------------------------------------------------

    def _on_table_selection_changed(self) -> None:
        self._update_buttons()
        info = self._current()
        if info is None:
            self.preview.show_nothing()
        else:
            self.show_preview(info)

    def show_preview(self, info: AttachmentInfo) -> None:
        """Images and PDFs from verified bytes (an altered file shows why instead)."""
        service, folder = self._files, self._preview_dir
        if info.content_type.startswith("image/"):
            self.session.tasks.submit(lambda: service.read_verified(info.attachment_id),
                                      on_done=self.preview.show_image,
                                      on_error=lambda e: self.preview.show_text(error_text(e)))
        elif info.content_type == "application/pdf":
            self.session.tasks.submit(
                lambda: service.save_copy(info.attachment_id, folder / f"{info.blob_sha256}.pdf"),
                on_done=self.preview.show_pdf,
                on_error=lambda e: self.preview.show_text(error_text(e)))
        else:
            self.preview.show_unsupported()

    def _on_open_button_clicked(self) -> None:
        info = self._current()
        if info is None:
            return
        service, root = self._files, self._open_dir

        def copy() -> Path:
            # A fresh folder each time: the viewer may have changed an earlier copy.
            root.mkdir(parents=True, exist_ok=True)
            folder = Path(tempfile.mkdtemp(prefix=info.blob_sha256[:12] + "-", dir=root))
            return service.save_copy_to_folder(info.attachment_id, folder)

        self.session.tasks.submit(
            copy,
            on_done=lambda path: QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))),
            on_error=lambda e: show_error(self, e))

    def _on_save_button_clicked(self) -> None:
        info = self._current()
        if info is None:
            return
        folder = Path(self.session.settings.get(LAST_FOLDER) or Path.home())
        name, _ = QFileDialog.getSaveFileName(self, self.tr("Save a copy"),
                                              str(folder / self._files.safe_name(info)))
        if name:
            self.save_copy(info, Path(name))

    def save_copy(self, info: AttachmentInfo, target: Path) -> None:
        self.session.settings.set(LAST_FOLDER, str(target.parent))
        service = self._files
        self.session.tasks.submit(
            lambda: service.save_copy(info.attachment_id, target),
            on_done=lambda path: self.message.show_info(
                self.tr("Saved {path}").format(path=path)),
            on_error=lambda e: show_error(self, e))

    def _on_withdraw_button_clicked(self) -> None:
        info = self._current()
        if info is None:
            return
        reason, ok = QInputDialog.getText(
            self, self.tr("Withdraw a file"),
            self.tr("Why is {name} withdrawn? (The record keeps its history.)").format(
                name=info.original_name))
        if ok:
            self.withdraw(info, reason)

    def withdraw(self, info: AttachmentInfo, reason: str) -> None:
        """Withdraw a file attached by mistake, with a reason (nothing is deleted)."""
        service, actor = self._files, self.session.actor
        self.session.tasks.submit(
            lambda: service.withdraw(actor, info.attachment_id, reason),
            on_done=lambda _result: self.message.show_info(
                self.tr("{name} was withdrawn.").format(name=info.original_name)),
            on_error=lambda e: self.message.show_error(error_text(e)),
            changes=Change.of("attachment"))
