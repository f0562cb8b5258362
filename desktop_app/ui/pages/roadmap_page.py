"""The roadmap page: a model's reference list (edit, import, links to parts), its roadmap steps
(components, volumes, APQP phases, sign-offs) and its regulatory milestones."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QLocale, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.integration import REASON_LABELS, SET_KIND_LABELS
from desktop_app.domain.people import Permission
from desktop_app.services.integration import IntegrationService
from desktop_app.services.integration_dto import ModelIntegration
from desktop_app.services.reference_lists import ReferenceImportPreview, ReferenceListService
from desktop_app.services.roadmap import RoadmapService, StepSummary
from desktop_app.services.roadmap_report import RoadmapReportService
from desktop_app.ui.app_events import Change
from desktop_app.ui.dialogs.roadmap_dialogs import (
    LinkDialog,
    SetDialog,
    SignOffDialog,
    StepDialog,
    SupplyRulesDialog,
)
from desktop_app.ui.i18n import tr
from desktop_app.ui.local_time import day as local_day
from desktop_app.ui.pages import roadmap_lists as lists
from desktop_app.ui.pages.base import Page, PageFilter, UiSession, error_text, heading_label
from desktop_app.ui.widgets.empty_hint import EmptyHint
from desktop_app.ui.widgets.message_label import MessageLabel
from desktop_app.ui.widgets.permission import allow
from desktop_app.ui.widgets.tables import keep_whole, read_only_table

WATCHED = ("vehicle_model", "reference_set", "set_link", "milestone_rule", "regulatory_rules",
           "roadmap_step",
           "step_signoff", "part", "decision", "delivery")


def _fill(table: QTableWidget, rows: list[list[str]], late: set[int] | None = None) -> None:
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            item = QTableWidgetItem(value)  # plain text
            if late and r in late:
                item.setForeground(Qt.GlobalColor.red)
            table.setItem(r, c, item)
    table.resizeColumnsToContents()
    table.horizontalHeader().setStretchLastSection(True)


class RoadmapPage(Page):
    page_id = "roadmap"
    # "sets" and "rules": a model's reference list or regulatory rules (value "model_id");
    # "late_steps": the late steps of every model; "step": one step ("model_id", "step_id")
    filter_kinds = ("sets", "rules", "late_steps", "step")

    def __init__(self, session: UiSession, parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        ctx = session.ctx
        self._integration = IntegrationService(ctx)
        self._lists = ReferenceListService(ctx)
        self._roadmap = RoadmapService(ctx)
        self.status: ModelIntegration | None = None
        self.steps: list[StepSummary] = []
        self.dialog: QWidget | None = None
        self.import_preview: ReferenceImportPreview | None = None
        self._wanted_model = ""  # a filter's model, chosen once the models are listed
        self._wanted_step = ""  # a filter's step, chosen once the steps are read
        self._build_ui()
        self._connect_signals()
        self.retranslate_ui()
        self.refresh()

    def _build_ui(self) -> None:
        self.heading = heading_label()
        self.model = QComboBox(objectName="roadmap_model_combo")
        self.model.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.report_button = QPushButton(objectName="report_button")
        top = QHBoxLayout()
        top.addWidget(self.heading)
        top.addWidget(self.model)
        top.addStretch(1)
        top.addWidget(self.report_button)
        self.tabs = QTabWidget(objectName="roadmap_tabs")
        # reference list
        self.sets_table = read_only_table("sets_table", 7)
        self.total_label = QLabel(objectName="total_label", textFormat=Qt.TextFormat.PlainText)
        self.add_set = QPushButton(objectName="add_set_button")
        self.edit_set = QPushButton(objectName="edit_set_button")
        self.remove_set = QPushButton(objectName="remove_set_button")
        self.link_button = QPushButton(objectName="link_part_button")
        self.unlink_button = QPushButton(objectName="unlink_part_button")
        self.import_button = QPushButton(objectName="import_list_button")
        sets_page = QWidget()
        sets_layout = QVBoxLayout(sets_page)
        row = QHBoxLayout()
        for b in (self.add_set, self.edit_set, self.remove_set, self.link_button,
                  self.unlink_button,
                  self.import_button):
            row.addWidget(b)
        row.addStretch(1)
        sets_layout.addLayout(row)
        # The totals sentence on its own line: next to six buttons it widened the window past
        # 1280 px in French.
        self.total_label.setWordWrap(True)
        sets_layout.addWidget(self.total_label)
        sets_layout.addWidget(self.sets_table, 1)
        # steps
        self.steps_table = read_only_table("steps_table", 9)
        keep_whole(self.steps_table, 0, 1)  # model and step codes
        self.add_step = QPushButton(objectName="add_step_button")
        self.edit_step = QPushButton(objectName="edit_step_button")
        self.sign_button = QPushButton(objectName="sign_off_button")
        steps_page = QWidget()
        steps_layout = QVBoxLayout(steps_page)
        row = QHBoxLayout()
        for b in (self.add_step, self.edit_step, self.sign_button):
            row.addWidget(b)
        row.addStretch(1)
        steps_layout.addLayout(row)
        steps_layout.addWidget(self.steps_table, 1)
        self.step_detail = QLabel(objectName="step_detail", textFormat=Qt.TextFormat.PlainText,
                                  wordWrap=True)
        self.step_detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        steps_layout.addWidget(self.step_detail)
        # milestones
        self.milestones_table = QTableWidget(0, 3, objectName="milestones_table")
        self.milestones_table.verticalHeader().hide()
        self.milestones_table.horizontalHeader().setSectionResizeMode(
            2, QHeaderView.ResizeMode.Stretch)
        for column in (0, 1):  # short numbers: as wide as their (translated) headers
            self.milestones_table.horizontalHeader().setSectionResizeMode(
                column, QHeaderView.ResizeMode.ResizeToContents)
        self.add_milestone = QPushButton(objectName="add_milestone_button")
        self.save_milestones = QPushButton(objectName="save_milestones_button")
        self.edit_supply_rules = QPushButton(objectName="edit_supply_rules_button")
        self.supply_rules_label = QLabel(objectName="supply_rules_label", wordWrap=True,
                                         textFormat=Qt.TextFormat.PlainText)
        self.supply_rules_label.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse)
        ms_page = QWidget()
        ms_layout = QVBoxLayout(ms_page)
        row = QHBoxLayout()
        row.addWidget(self.add_milestone)
        row.addWidget(self.save_milestones)
        row.addWidget(self.edit_supply_rules)
        row.addStretch(1)
        ms_layout.addLayout(row)
        ms_layout.addWidget(self.milestones_table, 1)
        ms_layout.addWidget(self.supply_rules_label)
        self.sets_hint = EmptyHint(self.sets_table, lambda: self._no_model_text() or self.tr(
            "No set in this model's reference list yet: add sets with “Add a set…” or import "
            "the list."))
        self.steps_hint = EmptyHint(self.steps_table, lambda: self._no_model_text() or (
            self.tr("No late step.") if self.page_filter is not None
            and self.page_filter.kind == "late_steps" else
            self.tr("No roadmap step for this model yet: add one with “Add a step…”.")))
        self.tabs.addTab(sets_page, "")
        self.tabs.addTab(steps_page, "")
        self.tabs.addTab(ms_page, "")
        self.message = MessageLabel(objectName="roadmap_message")
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.make_filter_banner())
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.message)
        actor = self.session.actor
        for b in (self.add_set, self.edit_set, self.remove_set, self.import_button):
            allow(b, actor, Permission.EDIT_REFERENCE_DATA)
        for b in (self.add_milestone, self.save_milestones, self.edit_supply_rules):
            allow(b, actor, Permission.EDIT_REGULATORY_RULES)
        for b in (self.link_button, self.unlink_button, self.add_step, self.edit_step):
            allow(b, actor, Permission.EDIT_ROADMAP)
        allow(self.sign_button, actor, Permission.SIGN_OFF_ROADMAP)

    def _connect_signals(self) -> None:
        self.model.currentIndexChanged.connect(self._on_model_current_index_changed)
        self.add_set.clicked.connect(lambda: self._open_set(None))
        self.edit_set.clicked.connect(lambda: self._open_set(self._selected_set()))
        self.remove_set.clicked.connect(self._on_remove_set_clicked)
        self.link_button.clicked.connect(self._on_link_button_clicked)
        self.unlink_button.clicked.connect(self._on_unlink_button_clicked)
        self.import_button.clicked.connect(self._on_import_button_clicked)
        self.add_step.clicked.connect(lambda: self._open_step(None))
        self.edit_step.clicked.connect(lambda: self._open_step(self._selected_step()))
        self.sign_button.clicked.connect(self._on_sign_button_clicked)
        self.add_milestone.clicked.connect(
            lambda: self.milestones_table.insertRow(self.milestones_table.rowCount()))
        self.save_milestones.clicked.connect(self._on_save_milestones_clicked)
        self.edit_supply_rules.clicked.connect(self._on_edit_supply_rules_clicked)
        self.report_button.clicked.connect(self._on_report_button_clicked)
        self.steps_table.itemSelectionChanged.connect(self._show_step_detail)

    def title(self) -> str:
        return self.tr("Roadmap")

    def retranslate_ui(self) -> None:
        self.heading.setText(self.tr("Roadmap and reference lists of"))
        self.report_button.setText(self.tr("Export report…"))
        self.tabs.setTabText(0, self.tr("Reference list"))
        self.tabs.setTabText(1, self.tr("Roadmap steps"))
        self.tabs.setTabText(2, self.tr("Regulatory rules"))
        self.add_set.setText(self.tr("Add a set…"))
        self.edit_set.setText(self.tr("Edit…"))
        self.remove_set.setText(self.tr("Remove"))
        self.link_button.setText(self.tr("Link a local part…"))
        self.unlink_button.setText(self.tr("Unlink a part…"))
        self.import_button.setText(self.tr("Import from .xlsx…"))
        self.add_step.setText(self.tr("Add a step…"))
        self.edit_step.setText(self.tr("Edit…"))
        self.sign_button.setText(self.tr("Sign off…"))
        self.add_milestone.setText(self.tr("Add a milestone"))
        self.save_milestones.setText(self.tr("Save the milestones"))
        self.edit_supply_rules.setText(self.tr("Rules for a missed milestone…"))
        self.sets_table.setHorizontalHeaderLabels([
            self.tr("Code"), self.tr("Set"), self.tr("Kind"), self.tr("Contributory rate"),
            self.tr("Counts for"), self.tr("Why"), self.tr("Local parts")])
        self.steps_table.setHorizontalHeaderLabels([
            self.tr("Code"), self.tr("Title"), self.tr("Target rate"), self.tr("Target date"),
            self.tr("Rate on its date"), self.tr("Status"), self.tr("Days late"),
            self.tr("Owner"), self.tr("Signed by both")])
        self.milestones_table.setHorizontalHeaderLabels([
            self.tr("End of year"), self.tr("Minimum rate (%)"), self.tr("Reference")])
        self._show()

    # -- data ------------------------------------------------------------------------------

    def refresh(self, change: Change | None = None) -> None:
        if change is not None and not change.touches(*WATCHED):
            return
        service, actor = self._integration, self.session.actor
        self.session.tasks.submit(lambda: service.models(actor), on_done=self._on_models_loaded,
                                  on_error=self._show_error)

    def _on_models_loaded(self, models) -> None:
        current = self.model.currentData()
        self.model.blockSignals(True)
        self.model.clear()
        for m in models:
            self.model.addItem(f"{m.code} — {m.name}", m.model_id)
        self.model.setCurrentIndex(max(self.model.findData(self._wanted_model or current), 0))
        self._wanted_model = ""
        self.model.blockSignals(False)
        if not models:  # nothing to load: the lists say why they are empty
            self.sets_hint.update_hint()
            self.steps_hint.update_hint()
        self._load_model()

    def _load_model(self) -> None:
        model_id = self.model.currentData()
        if not model_id:
            return
        integration, roadmap, actor = self._integration, self._roadmap, self.session.actor
        late_only = self.page_filter is not None and self.page_filter.kind == "late_steps"

        def load():
            [status] = integration.status(actor, model_id)
            # Late steps: those of every model (the dashboard's figure counts them all).
            steps = (roadmap.list_steps(actor, late_only=True) if late_only
                     else roadmap.list_steps(actor, model_id))
            return status, steps, integration.milestone_rules(actor, model_id)

        self.session.tasks.submit(load, on_done=self._on_model_loaded, on_error=self._show_error)

    def _on_model_loaded(self, loaded) -> None:
        self.status, self.steps, self.rules = loaded
        self._show()
        if self._wanted_step:
            row = next((i for i, s in enumerate(self.steps) if s.step_id == self._wanted_step),
                       -1)
            if row >= 0:
                self.steps_table.selectRow(row)
            self._wanted_step = ""
        self._show_step_detail()
        if self.page_filter is not None and self.page_filter.kind == "late_steps":
            self.filtered_count(len(self.steps))

    def _show(self) -> None:
        if self.status is None:
            return
        m = self.status
        _fill(self.sets_table, [[
            s.code, s.name, tr("Integration", SET_KIND_LABELS[s.kind]), lists.pct(s.rate),
            lists.pct(s.contribution), tr("Integration", REASON_LABELS[s.reason]),
            ", ".join(f"{ln.part_number} ({lists.pct(ln.share)})" for ln in s.links)]
            for s in m.sets])
        self.total_label.setText(
            self.tr("List total {total} % — {short} % missing — rate today {rate} %").format(
                total=lists.number(m.listed_total), short=lists.number(m.shortfall),
                rate=lists.number(m.rate)))
        _fill(self.steps_table, [[
            s.code, (self.tr("[edited at two sites] ") if s.conflict else "") + s.title,
            lists.pct(s.target_rate), local_day(s.target_date),
            lists.pct(s.rate_at_target), lists.status_text(s), str(s.days_late) if s.late else "",
            s.owner, self.tr("yes") if s.signed_by_both else self.tr("no")]
            for s in self.steps], {i for i, s in enumerate(self.steps) if s.late})
        self.milestones_table.setRowCount(len(self.rules))
        for r, rule in enumerate(self.rules):
            for c, value in enumerate((str(rule.years), str(rule.target), rule.reference)):
                self.milestones_table.setItem(r, c, QTableWidgetItem(value))
        self.supply_rules_label.setText(lists.supply_rules_text(m.rules))
        self.sets_hint.update_hint()
        self.steps_hint.update_hint()

    def _no_model_text(self) -> str:
        return "" if self.model.count() else self.tr(
            "No vehicle model yet: add one with “Suppliers and models…” on the Parts page.")

    def _show_step_detail(self) -> None:
        step = self._selected_step()
        if step is None:
            self.step_detail.clear()
            return
        self.step_detail.setText(lists.step_detail_text(step))

    def _filter_applied(self, page_filter: PageFilter | None) -> None:
        kind = page_filter.kind if page_filter is not None else ""
        model_id = page_filter.value("model_id") if page_filter is not None else ""
        self._wanted_step = page_filter.value("step_id") if page_filter is not None else ""
        tab = {"sets": 0, "late_steps": 1, "step": 1, "rules": 2}.get(kind)
        if tab is not None:
            self.tabs.setCurrentIndex(tab)
        index = self.model.findData(model_id) if model_id else -1
        if model_id and index < 0:
            self._wanted_model = model_id  # the models are still loading
        if index >= 0 and index != self.model.currentIndex():
            self.model.blockSignals(True)
            self.model.setCurrentIndex(index)
            self.model.blockSignals(False)
        self._load_model()

    def _on_model_current_index_changed(self, _index: int) -> None:
        if self.page_filter is not None:  # another model chosen by hand: the filter is left
            self.page_filter = None
            if self.filter_banner is not None:
                self.filter_banner.hide()
        self._load_model()

    def _selected_set(self):
        rows = self.sets_table.selectionModel().selectedRows()
        return self.status.sets[rows[0].row()] if rows and self.status else None

    def _selected_step(self) -> StepSummary | None:
        rows = self.steps_table.selectionModel().selectedRows()
        return self.steps[rows[0].row()] if rows else None

    # -- actions ---------------------------------------------------------------------------

    def _open_dialog(self, dialog) -> None:
        self.dialog = dialog
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.destroyed.connect(lambda: setattr(self, "dialog", None))
        dialog.open()

    def _open_set(self, selected) -> None:
        model_id = self.model.currentData()
        if not model_id:
            return
        values = ({"code": selected.code, "name": selected.name, "kind": str(selected.kind),
                   "rate": str(selected.rate)} if selected else None)
        self._open_dialog(SetDialog(self.session, model_id, values,
                                    selected.set_id if selected else None, self))

    def _on_remove_set_clicked(self) -> None:
        selected = self._selected_set()
        if selected is None:
            return
        service, actor = self._lists, self.session.actor
        self.session.tasks.submit(lambda: service.remove_set(actor, selected.set_id),
                                  on_error=self._show_error,
                                  changes=Change.of("reference_set", "set_link"))

    def _on_link_button_clicked(self) -> None:
        selected = self._selected_set()
        model_id = self.model.currentData()
        if selected is None or not model_id:
            self.message.show_error(self.tr("Choose a set first."))
            return
        service, actor = self._integration, self.session.actor
        self.session.tasks.submit(
            lambda: service.parts_of_model(actor, model_id),
            on_done=lambda parts: self._open_dialog(LinkDialog(
                self.session, selected.set_id,
                [(p.part_id, f"{p.number} — {p.name}") for p in parts], self)),
            on_error=self._show_error)

    def _on_unlink_button_clicked(self) -> None:
        selected = self._selected_set()
        if selected is None or not selected.links:
            self.message.show_error(self.tr("Choose a set with a linked part first."))
            return
        dialog = QInputDialog(self, objectName="unlink_dialog")
        dialog.setWindowTitle(self.tr("Unlink a part"))
        dialog.setLabelText(self.tr("Part no longer realising {code}:").format(
            code=selected.code))
        dialog.setComboBoxItems([f"{ln.part_number} ({lists.pct(ln.share)})"
                                 for ln in selected.links])
        dialog.setComboBoxEditable(False)
        links = list(selected.links)
        dialog.accepted.connect(lambda: self._unlink(
            links[dialog.comboBoxItems().index(dialog.textValue())].link_id))
        self._open_dialog(dialog)

    def _unlink(self, link_id: str) -> None:
        service, actor = self._integration, self.session.actor
        self.session.tasks.submit(lambda: service.unlink(actor, link_id),
                                  on_error=self._show_error, changes=Change.of("set_link"))

    def _on_import_button_clicked(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Reference list"), "",
                                              self.tr("Tables (*.xlsx *.xls *.ods *.csv)"))
        if path:
            self.import_file(Path(path))

    def import_file(self, path: Path) -> None:
        """Preview the file's list, ask, then apply it all or nothing."""
        model_id = self.model.currentData()
        service, actor = self._lists, self.session.actor
        self.session.tasks.submit(lambda: service.preview_import(actor, model_id, path),
                                  on_done=lambda p: self._confirm_import(p, model_id, path),
                                  on_error=self._show_error)

    def _confirm_import(self, preview: ReferenceImportPreview, model_id: str, path: Path) -> None:
        self.import_preview = preview
        text = self.tr("{model}: {rows} sets — {added} added, {changed} changed, {removed} "
                       "removed. The list totals {total} % ({short} % missing).").format(
            model=preview.model_code, rows=len(preview.entries), added=len(preview.added),
            changed=len(preview.changed), removed=len(preview.removed),
            total=preview.check.total, short=preview.check.shortfall)
        if preview.removed_with_links:
            text += "\n" + self.tr("Removed sets lose their links to parts: {codes}").format(
                codes=", ".join(preview.removed_with_links))
        box = QMessageBox(QMessageBox.Icon.Question, self.tr("Import the reference list?"), text,
                          QMessageBox.StandardButton.Apply | QMessageBox.StandardButton.Cancel,
                          self)
        box.setObjectName("import_confirm_box")
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.button(QMessageBox.StandardButton.Apply).clicked.connect(
            lambda: self._apply_import(model_id, path))
        self._open_dialog(box)

    def _apply_import(self, model_id: str, path: Path) -> None:
        service, actor = self._lists, self.session.actor
        self.session.tasks.submit_long(
            lambda progress, cancelled: service.apply_import(actor, model_id, path, progress,
                                                             cancelled),
            self.tr("Importing the reference list"), self,
            on_done=lambda p: self.message.show_info(self.tr("Reference list imported.")),
            on_error=self._show_error, changes=Change.of("reference_set", "set_link"))

    def _open_step(self, step: StepSummary | None) -> None:
        # A late step listed from another model is edited within its own model.
        model_id = step.model_id if step is not None else self.model.currentData()
        if not model_id:
            return
        codes = ([s.code for s in self.status.sets]
                 if self.status and self.status.model_id == model_id else [])
        service, actor = self._integration, self.session.actor
        self.session.tasks.submit(
            lambda: service.parts_of_model(actor, model_id),
            on_done=lambda parts: self._open_dialog(StepDialog(
                self.session, model_id, step, self,
                [(p.part_id, f"{p.number} — {p.name}") for p in parts], codes)),
            on_error=self._show_error)

    def _on_sign_button_clicked(self) -> None:
        step = self._selected_step()
        if step is None:
            self.message.show_error(self.tr("Choose a step first."))
            return
        self._open_dialog(SignOffDialog(self.session, step, self))

    def _on_save_milestones_clicked(self) -> None:
        rules = []
        for r in range(self.milestones_table.rowCount()):
            cells = [self.milestones_table.item(r, c) for c in range(3)]
            values = [c.text().strip() if c else "" for c in cells]
            if any(values):
                rules.append((values[0], values[1], values[2]))
        model_id = self.model.currentData()
        service, actor = self._integration, self.session.actor
        self.session.tasks.submit(lambda: service.set_milestone_rules(actor, model_id, rules),
                                  on_done=lambda _: self.message.show_info(
                                      self.tr("Milestones saved.")),
                                  on_error=self._show_error,
                                  changes=Change.of("milestone_rule"))

    def _on_edit_supply_rules_clicked(self) -> None:
        if self.status is None:
            return
        self._open_dialog(SupplyRulesDialog(self.session, self.status.model_id,
                                            self.status.rules, self))

    def _on_report_button_clicked(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Export report"), "roadmap.pdf",
                                              self.tr("PDF (*.pdf);;Excel (*.xlsx)"))
        if path:
            self.export_report(Path(path))

    def export_report(self, path: Path) -> None:
        service, actor = RoadmapReportService(self.session.ctx), self.session.actor
        language = QLocale().name()[:2]
        self.session.tasks.submit(
            lambda: service.write(actor, path, language=language, translate=tr),
            on_done=lambda p: self.message.show_info(self.tr("Report written: {path}").format(
                path=p)), on_error=self._show_error)

    def _show_error(self, exc: BaseException) -> None:
        self.message.show_error(error_text(exc))
