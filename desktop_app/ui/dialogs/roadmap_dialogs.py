"""Dialogs of the roadmap page: a set of the reference list, a link to a local part, milestones
are edited in place; a roadmap step, a sign-off and the rules for a missed milestone here. Each
dialog saves through its service on the task runner and shows a refusal as one sentence, staying
open."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.integration import SET_KIND_LABELS, SetKind
from desktop_app.domain.milestones import SupplyRules
from desktop_app.domain.roadmap import (
    APQP_PHASE_LABELS,
    COMPUTED_STATUSES,
    PARTY_LABELS,
    STEP_STATUS_LABELS,
    ApqpPhase,
    Party,
    StepComponent,
)
from desktop_app.services.integration import IntegrationService
from desktop_app.services.reference_lists import ReferenceListService
from desktop_app.services.roadmap import RoadmapService, StepSummary
from desktop_app.ui.app_events import Change
from desktop_app.ui.i18n import tr
from desktop_app.ui.pages.base import UiSession, error_text
from desktop_app.ui.widgets.message_label import MessageLabel


class FormDialog(QDialog):
    """A form with OK / Cancel; OK runs `save()` on the task runner, closes on success."""

    changes: tuple[str, ...] = ()
    #: each dialog defines `work()`: read the form, return the job to run on the task runner
    work: Callable[[], Callable[[], Any]]

    def __init__(self, session: UiSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.result_value: Any = None
        self.form = QFormLayout()
        self.message = MessageLabel()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)
        self.layout_ = QVBoxLayout(self)
        self.layout_.addLayout(self.form)

    def _finish_layout(self) -> None:
        self.layout_.addWidget(self.message)
        self.layout_.addWidget(self.buttons)

    def _on_buttons_accepted(self) -> None:
        self.message.clear()
        try:
            job = self.work()
        except Exception as exc:  # noqa: BLE001 - a bad value is shown as one sentence
            self._on_failed(exc)
            return
        self.buttons.setEnabled(False)
        self.session.tasks.submit(job, on_done=self._on_saved, on_error=self._on_failed,
                                  changes=Change.of(*self.changes))

    def _on_saved(self, value: Any) -> None:
        self.result_value = value
        self.accept()

    def _on_failed(self, exc: BaseException) -> None:
        self.buttons.setEnabled(True)
        self.message.show_error(error_text(exc))


class SetDialog(FormDialog):
    changes = ("reference_set",)

    def __init__(self, session: UiSession, model_id: str, values: dict[str, str] | None = None,
                 set_id: str | None = None, parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        self.setObjectName("set_dialog")
        self.model_id, self.set_id = model_id, set_id
        values = values or {}
        self.code = QLineEdit(values.get("code", ""), objectName="set_code")
        self.name = QLineEdit(values.get("name", ""), objectName="set_name")
        self.kind = QComboBox(objectName="set_kind")
        for kind in SetKind:
            self.kind.addItem(tr("Integration", SET_KIND_LABELS[kind]), str(kind))
        self.kind.setCurrentIndex(max(self.kind.findData(values.get("kind", "set")), 0))
        self.rate = QLineEdit(values.get("rate", ""), objectName="set_rate")
        self.form.addRow(self.tr("Code"), self.code)
        self.form.addRow(self.tr("Name"), self.name)
        self.form.addRow(self.tr("Kind"), self.kind)
        self.form.addRow(self.tr("Contributory rate (%)"), self.rate)
        self._finish_layout()
        self.setWindowTitle(self.tr("Set of the reference list"))

    def work(self) -> Callable[[], Any]:
        service = ReferenceListService(self.session.ctx)
        args = (self.session.actor, self.model_id, self.code.text(), self.name.text(),
                self.kind.currentData(), self.rate.text(), self.set_id)
        return lambda: service.save_set(*args)


class LinkDialog(FormDialog):
    changes = ("set_link",)

    def __init__(self, session: UiSession, set_id: str, parts: list[tuple[str, str]],
                 parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        self.setObjectName("link_dialog")
        self.set_id = set_id
        self.part = QComboBox(objectName="link_part")
        for part_id, label in parts:
            self.part.addItem(label, part_id)
        self.share = QLineEdit("100", objectName="link_share")
        self.supply = QLineEdit(objectName="link_supply_start", placeholderText="YYYY-MM-DD")
        self.expected = QLineEdit(objectName="link_expected_approval",
                                  placeholderText="YYYY-MM-DD")
        self.planned = QLineEdit(objectName="link_planned_supply", placeholderText="YYYY-MM-DD")
        self.form.addRow(self.tr("Local part"), self.part)
        self.form.addRow(self.tr("Share of the set (%)"), self.share)
        self.form.addRow(self.tr("Series supply started on"), self.supply)
        self.form.addRow(self.tr("Expected approval (forecast)"), self.expected)
        self.form.addRow(self.tr("Planned supply start (forecast)"), self.planned)
        self._finish_layout()
        self.setWindowTitle(self.tr("Link a local part to the set"))

    def work(self) -> Callable[[], Any]:
        service = IntegrationService(self.session.ctx)
        args = (self.session.actor, self.set_id, self.part.currentData() or "",
                self.share.text(), self.supply.text(), self.expected.text(), self.planned.text())
        return lambda: service.link_part(*args)


COMPONENT_COLUMNS = 6  # name, APQP phase, volumes, part, set, local


def _periods(text: str) -> dict[str, str]:
    """'2027-Q1: 1200; 2027-Q2: 3000' as {period: quantity}; the service checks the values."""
    result = {}
    for chunk in text.split(";"):
        if ":" in chunk:
            period, qty = chunk.split(":", 1)
            result[period.strip()] = qty.strip()
    return result


class StepDialog(FormDialog):
    changes = ("roadmap_step",)

    def __init__(self, session: UiSession, model_id: str, step: StepSummary | None = None,
                 parent: QWidget | None = None, parts: Sequence[tuple[str, str]] = (),
                 set_codes: Sequence[str] = ()) -> None:
        super().__init__(session, parent)
        self.setObjectName("step_dialog")
        self.model_id, self.step = model_id, step
        self.parts, self.set_codes = list(parts), list(set_codes)  # (part id, label); codes
        s = step

        def day(value) -> str:
            return value.isoformat() if value else ""

        self.code = QLineEdit(s.code if s else "", objectName="step_code")
        self.title_edit = QLineEdit(s.title if s else "", objectName="step_title")
        self.target_rate = QLineEdit(str(s.target_rate) if s else "", objectName="step_rate")
        self.milestone = QLineEdit(str(s.milestone_years or "") if s else "",
                                   objectName="step_milestone")
        self.target = QLineEdit(day(s.target_date) if s else "", objectName="step_target",
                                placeholderText="YYYY-MM-DD")
        self.baseline = QLineEdit(day(s.baseline_date) if s else "", objectName="step_baseline",
                                  placeholderText="YYYY-MM-DD")
        self.forecast = QLineEdit(day(s.forecast_date) if s else "", objectName="step_forecast",
                                  placeholderText="YYYY-MM-DD")
        self.owner = QLineEdit(s.owner if s else "", objectName="step_owner")
        self.status = QComboBox(objectName="step_status")
        self.status.addItem(self.tr("Computed from the integration rate"), "")
        for status in COMPUTED_STATUSES:
            self.status.addItem(tr("Roadmap", STEP_STATUS_LABELS[status]), str(status))
        if s and s.manual_status:
            self.status.setCurrentIndex(self.status.findData(str(s.manual_status)))
        self.status_reason = QLineEdit(s.status_reason if s else "",
                                       objectName="step_status_reason")
        self.status_reason.setPlaceholderText(self.tr(
            "Required when the status is set by hand"))
        if s:
            self.status.setToolTip(self.tr("Computed: {status}").format(
                status=tr("Roadmap", STEP_STATUS_LABELS[s.computed_status])))
        self.evidence = QPlainTextEdit("\n".join(s.required_evidence) if s else "",
                                       objectName="step_evidence")
        self.evidence.setMaximumHeight(70)
        self.vehicles = QLineEdit("; ".join(f"{p}: {q}" for p, q in s.vehicle_volumes)
                                  if s else "", objectName="step_vehicles",
                                  placeholderText="2027-Q1: 3000; 2027-Q2: 3000")
        self.components = QTableWidget(0, COMPONENT_COLUMNS, objectName="step_components")
        self.components.setHorizontalHeaderLabels(
            [self.tr("Component"), self.tr("APQP phase"), self.tr("Volumes"), self.tr("Part"),
             self.tr("Set"), self.tr("Local")])
        self.components.horizontalHeaderItem(2).setToolTip(
            self.tr("Volumes (2027-Q1: 1200; 2027-Q2: 3000)"))
        header = self.components.horizontalHeader()
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(5, QHeaderView.ResizeMode.ResizeToContents)
        for column, width in ((0, 190), (1, 150), (3, 230), (4, 110)):
            self.components.setColumnWidth(column, width)
        for c in (s.components if s else ()):
            self._add_component(c.name, c.apqp_phase,
                                "; ".join(f"{p}: {q}" for p, q in c.volumes), c)
        for _ in range(2):
            self._add_component("", ApqpPhase.PLAN, "")
        for label, widget in ((self.tr("Code"), self.code), (self.tr("Title"), self.title_edit),
                              (self.tr("Target rate (%)"), self.target_rate),
                              (self.tr("Milestone (end of year n)"), self.milestone),
                              (self.tr("Target date"), self.target),
                              (self.tr("Baseline date"), self.baseline),
                              (self.tr("Forecast date"), self.forecast),
                              (self.tr("Owner"), self.owner), (self.tr("Status"), self.status),
                              (self.tr("Why set by hand"), self.status_reason),
                              (self.tr("Planned vehicles"), self.vehicles),
                              (self.tr("Required evidence (one per line)"), self.evidence)):
            self.form.addRow(label, widget)
        self.layout_.addWidget(self.components, 1)
        self._finish_layout()
        self.setWindowTitle(self.tr("Roadmap step"))
        self.resize(980, 660)

    def _add_component(self, name: str, phase: ApqpPhase, volumes: str,
                       component: StepComponent | None = None) -> None:
        row = self.components.rowCount()
        self.components.insertRow(row)
        item = QTableWidgetItem(name)
        if component is not None:  # its part, family, set and origin are kept as they were
            item.setData(Qt.ItemDataRole.UserRole, component.to_json())
        self.components.setItem(row, 0, item)
        combo = QComboBox()
        for p in ApqpPhase:
            combo.addItem(tr("Roadmap", APQP_PHASE_LABELS[p]), int(p))
        combo.setCurrentIndex(combo.findData(int(phase)))
        self.components.setCellWidget(row, 1, combo)
        self.components.setItem(row, 2, QTableWidgetItem(volumes))
        part = QComboBox()
        part.addItem("—", "")
        for part_id, label in self.parts:
            part.addItem(label, part_id)
        kept_part = component.part_id if component else ""
        if kept_part and part.findData(kept_part) < 0:  # a part no longer of this model
            part.addItem(kept_part, kept_part)
        part.setCurrentIndex(part.findData(kept_part))
        self.components.setCellWidget(row, 3, part)
        set_combo = QComboBox()
        set_combo.addItem("—", "")
        for code in self.set_codes:
            set_combo.addItem(code, code)
        kept_set = component.set_code if component else ""
        if kept_set and set_combo.findData(kept_set) < 0:
            set_combo.addItem(kept_set, kept_set)
        set_combo.setCurrentIndex(set_combo.findData(kept_set))
        self.components.setCellWidget(row, 4, set_combo)
        local = QTableWidgetItem()
        local.setFlags(Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled)
        local.setCheckState(Qt.CheckState.Checked if component is None or component.local
                            else Qt.CheckState.Unchecked)
        self.components.setItem(row, 5, local)

    def data(self) -> dict[str, Any]:
        components = []
        for row in range(self.components.rowCount()):
            name_item = self.components.item(row, 0)
            name = name_item.text().strip() if name_item else ""
            if not name:
                continue
            volumes_item = self.components.item(row, 2)
            combo = self.components.cellWidget(row, 1)
            part = self.components.cellWidget(row, 3)
            set_combo = self.components.cellWidget(row, 4)
            local = self.components.item(row, 5)
            kept = name_item.data(Qt.ItemDataRole.UserRole) if name_item else None
            if kept and kept.get("part_id") != part.currentData():
                kept = {k: v for k, v in kept.items() if k != "family"}  # the new part's
            components.append({
                **(kept or {}), "name": name, "apqp_phase": combo.currentData(),
                "volumes": _periods(volumes_item.text() if volumes_item else ""),
                "part_id": part.currentData(), "set_code": set_combo.currentData(),
                "local": local.checkState() == Qt.CheckState.Checked})
        return {"code": self.code.text(), "title": self.title_edit.text(),
                "model_id": self.model_id, "target_rate": self.target_rate.text() or "0",
                "milestone_years": self.milestone.text().strip() or None,
                "target_date": self.target.text().strip(),
                "baseline_date": self.baseline.text().strip(),
                "forecast_date": self.forecast.text().strip(), "owner": self.owner.text(),
                "status": self.status.currentData(),
                "status_reason": self.status_reason.text() if self.status.currentData() else "",
                "required_evidence": self.evidence.toPlainText().splitlines(),
                "vehicle_volumes": _periods(self.vehicles.text()), "components": components}

    def work(self) -> Callable[[], Any]:
        service = RoadmapService(self.session.ctx)
        actor, data = self.session.actor, self.data()
        step_id = self.step.step_id if self.step else None
        rev_id = self.step.rev_id if self.step else None
        return lambda: service.save_step(actor, data, step_id, rev_id)


class SignOffDialog(FormDialog):
    changes = ("step_signoff",)

    def __init__(self, session: UiSession, step: StepSummary,
                 parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        self.setObjectName("sign_off_dialog")
        self.step = step
        self.party = QComboBox(objectName="sign_off_party")
        for party in Party:
            self.party.addItem(tr("Roadmap", PARTY_LABELS[party]), str(party))
        self.comment = QPlainTextEdit(objectName="sign_off_comment")
        self.form.addRow(self.tr("Signing for"), self.party)
        self.form.addRow(self.tr("Comment"), self.comment)
        self._finish_layout()
        self.setWindowTitle(self.tr("Sign off step {code}").format(code=step.code))
        self.setWindowFlag(Qt.WindowType.WindowContextHelpButtonHint, False)

    def work(self) -> Callable[[], Any]:
        service = RoadmapService(self.session.ctx)
        actor, step_id = self.session.actor, self.step.step_id
        party, comment = Party(self.party.currentData()), self.comment.toPlainText()
        return lambda: service.sign_off(actor, step_id, party, comment)


class SupplyRulesDialog(FormDialog):
    """An administrator's form for what a missed milestone brings: each rule with its text."""

    changes = ("regulatory_rules",)

    def __init__(self, session: UiSession, model_id: str, rules: SupplyRules,
                 parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        self.setObjectName("supply_rules_dialog")
        self.model_id = model_id
        self.grace_months = QSpinBox(objectName="rules_grace_months", minimum=0, maximum=60,
                                     value=rules.grace_months)
        self.supply_cut = QLineEdit(str(rules.supply_cut), objectName="rules_supply_cut")
        self.cut_ends_early = QCheckBox(objectName="rules_cut_ends_early")
        self.cut_ends_early.setChecked(rules.cut_ends_early)
        self.freeze = QCheckBox(objectName="rules_freeze")
        self.freeze.setChecked(rules.freeze)
        self.sources = {}
        for name in ("grace_source", "supply_cut_source", "cut_ends_early_source",
                     "freeze_source"):
            edit = QPlainTextEdit(getattr(rules, name), objectName="rules_" + name)
            edit.setMaximumHeight(64)
            self.sources[name] = edit
        self.cut_ends_early.setText(self.tr("The cut ends as soon as the rate is reached"))
        self.freeze.setText(self.tr("Still missed at the end: the supply programme is frozen"))
        for label, widget in (
                (self.tr("Grace after a missed milestone (months)"), self.grace_months),
                (self.tr("Comes from"), self.sources["grace_source"]),
                (self.tr("Supply programme cut during the grace (%)"), self.supply_cut),
                (self.tr("Comes from"), self.sources["supply_cut_source"]),
                ("", self.cut_ends_early),
                (self.tr("Comes from"), self.sources["cut_ends_early_source"]),
                ("", self.freeze),
                (self.tr("Comes from"), self.sources["freeze_source"])):
            self.form.addRow(label, widget)
        self._finish_layout()
        self.setWindowTitle(self.tr("Rules for a missed milestone"))
        self.resize(620, 520)

    def data(self) -> dict[str, Any]:
        return {"grace_months": self.grace_months.value(), "supply_cut": self.supply_cut.text(),
                "cut_ends_early": self.cut_ends_early.isChecked(),
                "freeze": self.freeze.isChecked(),
                **{k: v.toPlainText() for k, v in self.sources.items()}}

    def work(self) -> Callable[[], Any]:
        service = IntegrationService(self.session.ctx)
        actor, model_id, data = self.session.actor, self.model_id, self.data()
        return lambda: service.set_supply_rules(actor, model_id, data)
