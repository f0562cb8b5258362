"""Dialogs of the sync page: export a package, preview an import, enrol a site's key and say
what it may write here."""

from __future__ import annotations

from collections.abc import Callable, Iterable
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
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.record_types import record_type_label
from desktop_app.domain.trust import default_scope
from desktop_app.services.sync_dto import ImportPreview, SiteStatus
from desktop_app.services.sync_trust import all_record_types
from desktop_app.ui.i18n import tr, tr_n
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
                                                self.tr("PartDesk packages (*.partdesk *.zip);;"
                                                        "All files (*)"))
        if chosen:
            self.path_edit.setText(chosen)
            self._on_path_chosen()


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
            notes.append(tr_n("ImportPreviewDialog", "%Ln revisions compete with edits made "
                              "here; the records will wait for a merge.", p.conflicting))
        self.warning.setText("\n".join(notes))
        self.warning.setVisible(bool(notes))
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(tr_n("ImportPreviewDialog", "Import %Ln new revisions", p.new))
        ok.setEnabled(not p.already_imported)


class ScopeChecks(QListWidget):
    """One check box per kind of record another site may be allowed to write here."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("scope_checks")
        for code in sorted(all_record_types()):
            item = QListWidgetItem()
            item.setData(Qt.ItemDataRole.UserRole, code)
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.addItem(item)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        for item in self._items():
            item.setText(tr("RecordTypes", record_type_label(item.data(Qt.ItemDataRole.UserRole))))
        self.sortItems()

    def _items(self) -> list[QListWidgetItem]:
        return [self.item(i) for i in range(self.count())]

    def set_types(self, types: Iterable[str]) -> None:
        wanted = set(types)
        for item in self._items():
            item.setCheckState(Qt.CheckState.Checked if item.data(Qt.ItemDataRole.UserRole)
                               in wanted else Qt.CheckState.Unchecked)

    def types(self) -> list[str]:
        return sorted(item.data(Qt.ItemDataRole.UserRole) for item in self._items()
                      if item.checkState() == Qt.CheckState.Checked)


def _scope_rule() -> str:
    return tr("SyncDialogs", "A package from this site holding any other kind of record is "
                             "refused. A site always writes its own site record and people; no "
                             "other site may write them here, whatever is checked.")


class ScopeDialog(_Dialog):
    """What an enrolled site may write here: its kind's defaults, changed by the administrator."""

    def __init__(self, site: SiteStatus, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("scope_dialog")
        self._site = site
        self.explain = _plain(QLabel())
        self.checks = ScopeChecks(self)
        self.checks.set_types(site.scope)
        self.defaults_button = QPushButton(objectName="scope_defaults")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        layout = QVBoxLayout(self)
        layout.addWidget(self.explain)
        layout.addWidget(self.checks, 1)
        layout.addWidget(self.defaults_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.buttons)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.defaults_button.clicked.connect(
            lambda: self.checks.set_types(default_scope(self._site.kind)))
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.setWindowTitle(self.tr("What {code} may write here").format(code=self._site.code))
        self.explain.setText(self.tr("Site {code} ({name}) may write these kinds of record "
                                     "here.").format(code=self._site.code, name=self._site.name)
                             + " " + _scope_rule())
        self.defaults_button.setText(self.tr("The defaults of its kind"))
        self.checks.retranslate_ui()

    def types(self) -> list[str]:
        return self.checks.types()


class EnrolDialog(_Dialog):
    """Enrol another site's key: the fingerprint typed must match the one read out by phone.
    What the site may write here is shown with its kind's defaults and can be changed."""

    def __init__(self, parent: QWidget | None = None,
                 kind_of: Callable[[Path], str | None] | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("enrol_dialog")
        self._kind_of = kind_of or (lambda path: None)
        self.scope_label = _plain(QLabel())
        self.checks = ScopeChecks(self)
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
        layout.addWidget(self.scope_label)
        layout.addWidget(self.checks, 1)
        layout.addWidget(self.buttons)
        self.path_edit.editingFinished.connect(self._on_path_chosen)
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
        self.scope_label.setText(self.tr("It may write here:") + " " + _scope_rule())
        self.checks.retranslate_ui()

    def _on_path_chosen(self) -> None:
        """The key file says the site's kind: its defaults are checked, to change if need be."""
        kind = self._kind_of(self.path()) if self.path_edit.text().strip() else None
        if kind:
            self.checks.set_types(default_scope(kind))

    def scope(self) -> list[str]:
        return self.checks.types()

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
            self._on_path_chosen()
