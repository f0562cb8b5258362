"""One part revision: details, designations in four languages, history; checked as you type.

Other areas add tabs (e.g. "Evidence") by appending a factory to `EXTRA_TABS`: it is called as
`factory(dialog)` for an existing part and returns a widget or None; the tab's text is the widget's
`tab_title()` (translated), and the widget may define `retranslate_ui()`. `dialog.tabs` is the
QTabWidget, `dialog.detail` the PartDetail shown.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.errors import ValidationError
from desktop_app.domain.parts import STATUS_LABELS, UNITS, PartDraft, PartStatus
from desktop_app.domain.people import Permission
from desktop_app.services.parts import PartService
from desktop_app.services.parts_dto import (
    FamilyInfo,
    PartDetail,
    SupplierInfo,
    VehicleModelInfo,
)
from desktop_app.ui.app_events import Change
from desktop_app.ui.i18n import tr
from desktop_app.ui.pages.base import UiSession, error_text
from desktop_app.ui.shortcuts import add_save_shortcut
from desktop_app.ui.widgets.history_widget import HistoryWidget
from desktop_app.ui.widgets.message_label import MessageLabel
from desktop_app.ui.widgets.permission import denied_reason
from desktop_app.ui.widgets.read_only import set_locked

EXTRA_TABS: list[Callable[[PartDialog], QWidget | None]] = []
INVALID_STYLE = "border: 1px solid #b00020;"


@dataclass(frozen=True)
class PartRefs:
    """Reference data a part form offers to choose from."""

    suppliers: list[SupplierInfo] = field(default_factory=list)
    models: list[VehicleModelInfo] = field(default_factory=list)
    families: list[FamilyInfo] = field(default_factory=list)


def family_label(info: FamilyInfo) -> str:
    return tr("Families", info.name) if info.built_in else info.name


class PartDialog(QDialog):
    part_saved = Signal(object)  # PartDetail

    def __init__(self, session: UiSession, refs: PartRefs, detail: PartDetail | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("part_dialog")
        self.session = session
        self.refs = refs
        self.detail = detail
        self.new_revision_of = ""  # set when the form becomes the next drawing revision
        self._parts = PartService(session.ctx)
        self.can_edit = session.actor.can(Permission.EDIT_PARTS)
        self._build_ui()
        self._connect_signals()
        self.retranslate_ui()
        self._fill(detail)
        self._validate()
        self.number_edit.setFocus()  # not the tabs: the form is typed from its first field

    # -- building --------------------------------------------------------------------------

    def _build_ui(self) -> None:
        self.tabs = QTabWidget(objectName="part_tabs")
        details = QWidget()
        self.form = QFormLayout(details)
        self.number_edit = QLineEdit(objectName="part_number_edit")
        self.revision_edit = QLineEdit(objectName="revision_edit")
        self.designation_edit = QLineEdit(objectName="designation_edit")
        self.family_combo = QComboBox(objectName="family_combo")
        self.supplier_combo = QComboBox(objectName="supplier_combo")
        self.models_list = QListWidget(objectName="models_list")
        self.models_list.setMaximumHeight(80)
        self.material_edit = QLineEdit(objectName="material_edit")
        self.grade_edit = QLineEdit(objectName="grade_edit")
        self.mass_edit = QLineEdit(objectName="mass_edit")
        self.unit_combo = QComboBox(objectName="unit_combo")
        self.unit_combo.addItems(list(UNITS))
        self.drawing_edit = QLineEdit(objectName="drawing_edit")
        self.special_check = QCheckBox(objectName="special_check")
        self.volume_edit = QLineEdit(objectName="volume_edit")
        self.status_combo = QComboBox(objectName="status_combo")
        self.notes_edit = QPlainTextEdit(objectName="notes_edit")
        self.notes_edit.setMaximumHeight(70)
        self.notes_edit.setTabChangesFocus(True)  # Tab goes on to Save
        self._labels: dict[str, QWidget] = {}
        for key, widget in (("part_number", self.number_edit), ("revision", self.revision_edit),
                            ("designation", self.designation_edit),
                            ("family", self.family_combo), ("supplier_id", self.supplier_combo),
                            ("vehicle_model_ids", self.models_list),
                            ("material", self.material_edit), ("grade", self.grade_edit),
                            ("mass_kg", self.mass_edit), ("unit", self.unit_combo),
                            ("drawing_ref", self.drawing_edit),
                            ("special_characteristics", self.special_check),
                            ("annual_volume", self.volume_edit), ("status", self.status_combo),
                            ("notes", self.notes_edit)):
            self.form.addRow(key, widget)
            self._labels[key] = widget
        self.tabs.addTab(details, "")
        languages = QWidget()
        lang_form = QFormLayout(languages)
        self.designation_edits: dict[str, QLineEdit] = {}
        for code in ("fr", "ar", "zh", "en"):
            edit = QLineEdit(objectName=f"designation_{code}_edit")
            if code == "ar":
                edit.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
            self.designation_edits[code] = edit
            lang_form.addRow(code, edit)
        self.tabs.addTab(languages, "")
        self.history = HistoryWidget(self.session, parent=self)
        self.history_index = self.tabs.addTab(self.history, "")
        self.extra_tabs: list[QWidget] = []
        if self.detail is not None:
            for factory in EXTRA_TABS:
                widget = factory(self)
                if widget is not None:
                    self.extra_tabs.append(widget)
                    self.tabs.addTab(widget, "")
        self.message = MessageLabel(objectName="part_message")
        self.new_revision_button = QPushButton(objectName="new_revision_button")
        self.obsolete_button = QPushButton(objectName="obsolete_button")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setObjectName("save_button")
        add_save_shortcut(self, self.save_button)
        bottom = QHBoxLayout()
        bottom.addWidget(self.new_revision_button)
        bottom.addWidget(self.obsolete_button)
        bottom.addStretch(1)
        bottom.addWidget(self.buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        layout.addWidget(self.message)
        layout.addLayout(bottom)
        self.resize(640, 620)

    def _connect_signals(self) -> None:
        for edit in (self.number_edit, self.revision_edit, self.designation_edit,
                     self.material_edit, self.grade_edit, self.mass_edit, self.drawing_edit,
                     self.volume_edit, *self.designation_edits.values()):
            edit.textChanged.connect(self._validate)
        for combo in (self.family_combo, self.supplier_combo, self.unit_combo,
                      self.status_combo):
            combo.currentIndexChanged.connect(self._validate)
        self.notes_edit.textChanged.connect(self._validate)
        self.special_check.toggled.connect(self._validate)
        self.buttons.accepted.connect(self._on_save_clicked)
        self.buttons.rejected.connect(self.reject)
        self.new_revision_button.clicked.connect(self._on_new_revision_clicked)
        self.obsolete_button.clicked.connect(self._on_obsolete_clicked)

    def retranslate_ui(self) -> None:
        labels = {
            "part_number": tr("PartDialog", "Part number"),
            "revision": tr("PartDialog", "Drawing revision"),
            "designation": tr("PartDialog", "Designation"),
            "family": tr("PartDialog", "Component family"),
            "supplier_id": tr("PartDialog", "Supplier"),
            "vehicle_model_ids": tr("PartDialog", "Vehicle models"),
            "material": tr("PartDialog", "Material"), "grade": tr("PartDialog", "Grade"),
            "mass_kg": tr("PartDialog", "Mass (kg)"), "unit": tr("PartDialog", "Unit"),
            "drawing_ref": tr("PartDialog", "Drawing reference"),
            "special_characteristics": tr("PartDialog", "Special characteristics (CC/SC)"),
            "annual_volume": tr("PartDialog", "Planned annual volume"),
            "status": tr("PartDialog", "Lifecycle status"), "notes": tr("PartDialog", "Notes"),
        }
        for key, widget in self._labels.items():
            label = self.form.labelForField(widget)
            if label is not None:
                label.setText(labels[key])
        self.history.field_labels = {**labels, **{
            f"designations.{c}": tr("PartDialog", "Designation ({language})").format(
                language=c.upper()) for c in self.designation_edits}}
        self.history.field_values = self._history_values()
        lang_names = {"fr": tr("PartDialog", "French"), "ar": tr("PartDialog", "Arabic"),
                      "zh": tr("PartDialog", "Chinese"), "en": tr("PartDialog", "English")}
        lang_form = self.designation_edits["fr"].parentWidget().layout()
        for code, edit in self.designation_edits.items():
            label = lang_form.labelForField(edit)
            if label is not None:
                label.setText(lang_names[code])
        self.mass_edit.setPlaceholderText(tr("PartDialog", "e.g. 2.35"))
        self.tabs.setTabText(0, tr("PartDialog", "Details"))
        self.tabs.setTabText(1, tr("PartDialog", "Designations"))
        self.tabs.setTabText(self.history_index, tr("PartDialog", "History"))
        for offset, widget in enumerate(self.extra_tabs):
            title = getattr(widget, "tab_title", None)
            self.tabs.setTabText(self.history_index + 1 + offset,
                                 title() if callable(title) else widget.objectName())
        self.new_revision_button.setText(tr("PartDialog", "New drawing revision"))
        self.obsolete_button.setText(tr("PartDialog", "Mark obsolete"))
        self._fill_choices()
        self._update_title()

    def _history_values(self) -> dict[str, Callable[[Any], str]]:
        suppliers = {s.supplier_id: s.name for s in self.refs.suppliers}
        models = {m.model_id: m.label for m in self.refs.models}
        families = {f.code: family_label(f) for f in self.refs.families}
        statuses = {s.value: tr("Parts", label) for s, label in STATUS_LABELS.items()}
        return {
            "status": lambda v: statuses.get(str(v), str(v)),
            "family": lambda v: families.get(str(v), str(v)),
            "supplier_id": lambda v: suppliers.get(str(v), str(v)) if v else "—",
            "vehicle_model_ids": lambda v: ", ".join(models.get(m, m) for m in v) or "—",
            "special_characteristics": lambda v: tr("PartDialog", "yes") if v
            else tr("PartDialog", "no"),
            "replaces": lambda v: v[:8] if v else "—",
        }

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    def _fill_choices(self) -> None:
        family = self.family_combo.currentData()
        supplier = self.supplier_combo.currentData()
        status = self.status_combo.currentData()
        for combo in (self.family_combo, self.supplier_combo, self.status_combo):
            combo.blockSignals(True)
            combo.clear()
        for info in self.refs.families:
            self.family_combo.addItem(family_label(info), info.code)
        self.supplier_combo.addItem(tr("PartDialog", "— none —"), "")
        for supplier_info in self.refs.suppliers:
            self.supplier_combo.addItem(f"{supplier_info.name} ({supplier_info.code})",
                                        supplier_info.supplier_id)
        for value, label in STATUS_LABELS.items():
            self.status_combo.addItem(tr("Parts", label), value.value)
        for combo, value in ((self.family_combo, family), (self.supplier_combo, supplier),
                             (self.status_combo, status)):
            if value is not None:
                combo.setCurrentIndex(max(0, combo.findData(value)))
            combo.blockSignals(False)
        if self.models_list.count() == 0:
            for model in self.refs.models:
                item = QListWidgetItem(model.label)
                item.setData(Qt.ItemDataRole.UserRole, model.model_id)
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(Qt.CheckState.Unchecked)
                self.models_list.addItem(item)
            self.models_list.itemChanged.connect(self._validate)

    def _update_title(self) -> None:
        if self.detail is None or self.new_revision_of:
            self.setWindowTitle(tr("PartDialog", "New part revision"))
        else:
            d = self.detail.draft
            self.setWindowTitle(tr("PartDialog", "Part {number} revision {revision}").format(
                number=d.part_number, revision=d.revision))

    # -- showing ---------------------------------------------------------------------------

    def _fill(self, detail: PartDetail | None) -> None:
        draft = detail.draft if detail else PartDraft("", "", "", status=PartStatus.IN_DEVELOPMENT)
        self.number_edit.setText(draft.part_number)
        self.revision_edit.setText(draft.revision)
        self.designation_edit.setText(draft.designation)
        self.family_combo.setCurrentIndex(max(0, self.family_combo.findData(draft.family)))
        self.supplier_combo.setCurrentIndex(max(0, self.supplier_combo.findData(
            draft.supplier_id)))
        for row in range(self.models_list.count()):
            item = self.models_list.item(row)
            checked = item.data(Qt.ItemDataRole.UserRole) in draft.vehicle_model_ids
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
        self.material_edit.setText(draft.material)
        self.grade_edit.setText(draft.grade)
        self.mass_edit.setText(draft.mass_kg)
        self.unit_combo.setCurrentText(draft.unit)
        self.drawing_edit.setText(draft.drawing_ref)
        self.special_check.setChecked(draft.special_characteristics)
        self.volume_edit.setText("" if draft.annual_volume is None else str(draft.annual_volume))
        self.status_combo.setCurrentIndex(max(0, self.status_combo.findData(draft.status.value)))
        self.notes_edit.setPlainText(draft.notes)
        for code, edit in self.designation_edits.items():
            edit.setText(draft.designations.get(code, ""))
        if detail is not None:
            self.history.load(detail.part_id)
        self.tabs.setTabEnabled(self.history_index, detail is not None)
        self._apply_lock()

    @property
    def locked(self) -> bool:
        return (self.detail is not None and not self.new_revision_of
                and self.detail.draft.status != PartStatus.IN_DEVELOPMENT)

    def lock_reason(self) -> str:
        """Why the form may not be changed ("" when it may): the person's role, or the
        revision's status."""
        if not self.can_edit:
            return denied_reason(self.session.actor, Permission.EDIT_PARTS)
        if self.locked and self.detail is not None:
            return tr("PartDialog", "Locked: this revision is {status}. Make a new drawing "
                                    "revision to change it.").format(
                status=tr("Parts", STATUS_LABELS[self.detail.draft.status]).lower())
        return ""

    def _apply_lock(self) -> None:
        read_only = self.locked or not self.can_edit
        reason = self.lock_reason()
        # Locked fields look locked (grey, read-only) and say why in their tooltip.
        for widget in (self.revision_edit, self.designation_edit, self.material_edit,
                       self.grade_edit, self.mass_edit, self.drawing_edit, self.volume_edit,
                       *self.designation_edits.values(), self.notes_edit, self.family_combo,
                       self.supplier_combo, self.unit_combo, self.special_check,
                       self.models_list):
            set_locked(widget, read_only, reason)
        set_locked(self.number_edit, read_only or bool(self.new_revision_of), reason or tr(
            "PartDialog", "A new drawing revision keeps the part number."))
        set_locked(self.status_combo, read_only or bool(self.new_revision_of), reason or tr(
            "PartDialog", "A new drawing revision starts in development."))
        exists = self.detail is not None and not self.new_revision_of
        self.new_revision_button.setVisible(exists and self.can_edit)
        self.obsolete_button.setVisible(
            exists and self.can_edit and self.detail is not None
            and self.detail.draft.status == PartStatus.RELEASED)
        self.save_button.setVisible(not read_only)
        cancel = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        cancel.setText(tr("PartDialog", "Close") if read_only else tr("PartDialog", "Cancel"))
        if self.locked and self.detail is not None:
            self.message.show_info(tr(
                "PartDialog", "This revision is {status} and locked; make a new drawing "
                              "revision to change it.").format(
                status=tr("Parts", STATUS_LABELS[self.detail.draft.status]).lower()))

    # -- checking --------------------------------------------------------------------------

    def draft(self) -> PartDraft:
        models = tuple(
            self.models_list.item(r).data(Qt.ItemDataRole.UserRole)
            for r in range(self.models_list.count())
            if self.models_list.item(r).checkState() == Qt.CheckState.Checked)
        volume = self.volume_edit.text().strip()
        return PartDraft(
            part_number=self.number_edit.text(), revision=self.revision_edit.text(),
            designation=self.designation_edit.text(),
            family=self.family_combo.currentData() or "other",
            supplier_id=self.supplier_combo.currentData() or "", vehicle_model_ids=models,
            designations={c: e.text() for c, e in self.designation_edits.items()},
            material=self.material_edit.text(), grade=self.grade_edit.text(),
            mass_kg=self.mass_edit.text(), unit=self.unit_combo.currentText(),
            drawing_ref=self.drawing_edit.text(),
            special_characteristics=self.special_check.isChecked(),
            annual_volume=volume or None,  # type: ignore[arg-type] - validated below
            status=PartStatus(self.status_combo.currentData() or PartStatus.IN_DEVELOPMENT),
            notes=self.notes_edit.toPlainText(),
            replaces=self.new_revision_of or (self.detail.draft.replaces if self.detail else ""))

    def _validate(self) -> bool:
        """Check the form now; the first problem is shown under it and Save waits."""
        if self.locked:
            return False
        for widget in self._labels.values():
            widget.setStyleSheet("")
        try:
            self.draft().validated()
        except ValidationError as exc:
            self.message.show_error(error_text(exc))
            widget = self._labels.get(exc.field or "")
            if widget is not None:
                widget.setStyleSheet(INVALID_STYLE)
            self.save_button.setEnabled(False)
            return False
        self.message.setText("")
        self.save_button.setEnabled(self.can_edit)
        return True

    # -- saving ----------------------------------------------------------------------------

    def _on_save_clicked(self) -> None:
        if not self._validate():
            return
        draft, actor, parts = self.draft(), self.session.actor, self._parts
        if self.new_revision_of:
            source = self.new_revision_of
            job = lambda: parts.new_drawing_revision(actor, source, draft)  # noqa: E731
        elif self.detail is None:
            job = lambda: parts.register_part(actor, draft)  # noqa: E731
        else:
            part_id, rev_id = self.detail.part_id, self.detail.rev_id
            job = lambda: parts.edit_part(actor, part_id, draft,  # noqa: E731
                                          expected_rev_id=rev_id)
        self.save_button.setEnabled(False)
        self.session.tasks.submit(job, on_done=self._on_saved, on_error=self._on_failed,
                                  changes=Change.of("part"))

    def _on_saved(self, detail: PartDetail) -> None:
        self.detail = detail
        self.part_saved.emit(detail)
        self.accept()

    def _on_failed(self, exc: BaseException) -> None:
        self.message.show_error(error_text(exc))
        field_name = exc.field if isinstance(exc, ValidationError) else None
        widget = self._labels.get(field_name or "")
        if widget is not None:
            widget.setStyleSheet(INVALID_STYLE)
        self.save_button.setEnabled(True)

    def _on_new_revision_clicked(self) -> None:
        if self.detail is None:
            return
        self.new_revision_of = self.detail.part_id
        self.revision_edit.clear()
        self.status_combo.setCurrentIndex(
            max(0, self.status_combo.findData(PartStatus.IN_DEVELOPMENT.value)))
        self.message.setText("")
        self._apply_lock()
        self._update_title()
        self.tabs.setCurrentIndex(0)
        self.revision_edit.setFocus()
        self._validate()

    def _on_obsolete_clicked(self) -> None:
        if self.detail is None:
            return
        actor, parts = self.session.actor, self._parts
        part_id, rev_id = self.detail.part_id, self.detail.rev_id
        self.session.tasks.submit(
            lambda: parts.change_status(actor, part_id, PartStatus.OBSOLETE,
                                        expected_rev_id=rev_id),
            on_done=self._on_saved, on_error=self._on_failed, changes=Change.of("part"))


# The "Evidence" tab (test evidence area).
from desktop_app.ui.widgets.evidence_widget import evidence_tab  # noqa: E402

EXTRA_TABS.append(evidence_tab)
