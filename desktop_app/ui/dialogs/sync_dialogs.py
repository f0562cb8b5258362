"""Dialogs of the sync page: export a package, preview an import, enrol a site's key."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.record_types import record_type_label
from desktop_app.services.sync_dto import ImportPreview, SiteStatus
from desktop_app.ui.i18n import tr
from desktop_app.ui.local_time import local_datetime


def _when(stamp: str) -> str:
    """A stored UTC timestamp as people read it: local time, in the language's format."""
    return local_datetime(stamp)


def _plain(label: QLabel) -> QLabel:
    label.setTextFormat(Qt.TextFormat.PlainText)  # names come from other sites: never HTML
    label.setWordWrap(True)
    return label


class _Dialog(QDialog):
    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    def retranslate_ui(self) -> None:
        """Set every visible string."""


class ExportDialog(_Dialog):
    """Choose the target site (or everything) and the file to write."""

    def __init__(self, sites: list[SiteStatus], default_folder: Path,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("export_dialog")
        self._sites = [s for s in sites if s.enrolled and not s.retired]
        self._folder = default_folder
        self.target_combo = QComboBox(objectName="export_target")
        self.full_check = QCheckBox(objectName="export_full")
        self.path_edit = QLineEdit(objectName="export_path")
        self.browse_button = QPushButton(objectName="export_browse")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.target_label, self.path_label = QLabel(), QLabel()
        row = QHBoxLayout()
        row.addWidget(self.path_edit, 1)
        row.addWidget(self.browse_button)
        form = QFormLayout()
        form.addRow(self.target_label, self.target_combo)
        form.addRow("", self.full_check)
        form.addRow(self.path_label, row)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.browse_button.clicked.connect(self._on_browse_button_clicked)
        self.target_combo.currentIndexChanged.connect(self._on_target_changed)
        self.path_edit.textChanged.connect(self._validate)
        self.retranslate_ui()
        self._on_target_changed()

    def retranslate_ui(self) -> None:
        self.setWindowTitle(self.tr("Export a package"))
        self.target_label.setText(self.tr("For"))
        self.path_label.setText(self.tr("File"))
        self.full_check.setText(self.tr("Everything, even what the site has already seen"))
        self.browse_button.setText(self.tr("Choose…"))
        current = self.target_combo.currentIndex()
        self.target_combo.clear()
        self.target_combo.addItem(self.tr("Any site: everything"), "")
        for site in self._sites:
            self.target_combo.addItem(f"{site.code} — {site.name}", site.code)
        self.target_combo.setCurrentIndex(max(current, 0))

    def target(self) -> str | None:
        return self.target_combo.currentData() or None

    def full(self) -> bool:
        return self.full_check.isChecked() or self.target() is None

    def path(self) -> Path:
        return Path(self.path_edit.text().strip())

    def _on_target_changed(self) -> None:
        target = self.target()
        self.full_check.setEnabled(target is not None)
        name = f"to-{target}.partdesk" if target else "full.partdesk"
        self.path_edit.setText(str(self._folder / name))
        self._validate()

    def _validate(self) -> None:
        ok = bool(self.path_edit.text().strip())
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(ok)

    def _on_browse_button_clicked(self) -> None:
        chosen, _ = QFileDialog.getSaveFileName(self, self.tr("Export a package"),
                                                self.path_edit.text(),
                                                self.tr("PartDesk packages (*.partdesk *.zip)"))
        if chosen:
            self.path_edit.setText(chosen)


class ImportPreviewDialog(_Dialog):
    """What a verified package would change, per record type, before anything is applied."""

    def __init__(self, preview: ImportPreview, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("import_preview_dialog")
        self.preview = preview
        self.summary = _plain(QLabel(objectName="import_summary"))
        self.warning = _plain(QLabel(objectName="import_warning"))
        self.warning.setStyleSheet("color: #8a5300;")
        self.table = QTableWidget(len(preview.by_type), 4, objectName="import_types")
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for row, t in enumerate(preview.by_type):
            label = tr("RecordTypes", record_type_label(t.record_type))
            for col, value in enumerate((label, t.new, t.known, t.conflicting)):
                item = QTableWidgetItem(str(value))
                if col:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight
                                          | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(row, col, item)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.warning)
        layout.addWidget(self.buttons)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.resize(560, 420)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        p = self.preview
        self.setWindowTitle(self.tr("Import a package"))
        self.table.setHorizontalHeaderLabels([self.tr("Record type"), self.tr("New"),
                                              self.tr("Already here"), self.tr("Conflicting")])
        self.summary.setText(self.tr(
            "Package {seq} from {code} ({name}), made {at}. The signature and every file were "
            "checked. Files: {new_blobs} new of {blobs}.").format(
            seq=p.sequence, code=p.sender_code, name=p.sender_name, at=_when(p.created_at),
            new_blobs=p.new_blobs, blobs=p.blobs))
        notes = []
        if p.already_imported:
            notes.append(self.tr("This package is already known here (imported before, or "
                                 "made here); importing it changes nothing."))
        elif p.older:
            notes.append(self.tr("It is older than the last package from this site ({last}); "
                                 "only what is missing will be added.").format(
                last=p.last_sequence))
        if p.conflicting:
            notes.append(self.tr("{n} revisions compete with edits made here; the records "
                                 "will wait for a merge.").format(n=p.conflicting))
        self.warning.setText("\n".join(notes))
        self.warning.setVisible(bool(notes))
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(self.tr("Import {n} new revisions").format(n=p.new))
        ok.setEnabled(not p.already_imported)


class EnrolDialog(_Dialog):
    """Enrol another site's key: the fingerprint typed must match the one read out by phone."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("enrol_dialog")
        self.path_edit = QLineEdit(objectName="enrol_path")
        self.browse_button = QPushButton(objectName="enrol_browse")
        self.fingerprint_edit = QLineEdit(objectName="enrol_fingerprint")
        self.explain = _plain(QLabel())
        self.file_label, self.fp_label = QLabel(), QLabel()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        row = QHBoxLayout()
        row.addWidget(self.path_edit, 1)
        row.addWidget(self.browse_button)
        form = QFormLayout()
        form.addRow(self.file_label, row)
        form.addRow(self.fp_label, self.fingerprint_edit)
        layout = QVBoxLayout(self)
        layout.addWidget(self.explain)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.browse_button.clicked.connect(self._on_browse_button_clicked)
        self.path_edit.textChanged.connect(self._validate)
        self.fingerprint_edit.textChanged.connect(self._validate)
        self.retranslate_ui()
        self._validate()

    def retranslate_ui(self) -> None:
        self.setWindowTitle(self.tr("Enrol a site"))
        self.explain.setText(self.tr(
            "Ask the other site's administrator for their key file and, separately, by phone "
            "or on paper, for its fingerprint. Type the fingerprint you were told: the key is "
            "enrolled only if they match."))
        self.file_label.setText(self.tr("Key file"))
        self.fp_label.setText(self.tr("Fingerprint"))
        self.browse_button.setText(self.tr("Choose…"))
        self.fingerprint_edit.setPlaceholderText(" ".join(["XXXX"] * 10))

    def path(self) -> Path:
        return Path(self.path_edit.text().strip())

    def fingerprint(self) -> str:
        return self.fingerprint_edit.text()

    def _validate(self) -> None:
        compact = "".join(c for c in self.fingerprint().upper() if c in "0123456789ABCDEF")
        ok = bool(self.path_edit.text().strip()) and len(compact) == 40
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(ok)

    def _on_browse_button_clicked(self) -> None:
        chosen, _ = QFileDialog.getOpenFileName(self, self.tr("Enrol a site"), "",
                                                self.tr("Site key files (*.partdesk-key *.json)"))
        if chosen:
            self.path_edit.setText(chosen)
