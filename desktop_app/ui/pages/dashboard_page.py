"""The home page: where each model stands, what is late, the pipeline, what expires, the sites.

Every figure is a button that opens the page behind it, filtered to what the figure counts (a
banner there says so, with a way back). Until the site is set up, a checklist on top says what
to do next, with a button that opens the right page or dialog.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.certification import STATE_LABELS, State
from desktop_app.domain.milestones import MODEL_STATE_LABELS, ModelState
from desktop_app.domain.people import Permission
from desktop_app.services.dashboard import EXPIRING_WITHIN_DAYS, Dashboard, DashboardService
from desktop_app.services.integration_dto import ModelIntegration
from desktop_app.services.setup import SetupChecklist, SetupService, SetupStepKind
from desktop_app.services.sync_dto import SiteStatus
from desktop_app.ui.app_events import Change
from desktop_app.ui.dialogs.delivery_dialog import DeliveryDialog
from desktop_app.ui.i18n import tr, tr_n
from desktop_app.ui.local_time import count as local_count
from desktop_app.ui.local_time import day as local_day
from desktop_app.ui.local_time import local_datetime
from desktop_app.ui.pages import roadmap_lists as lists
from desktop_app.ui.pages.base import Page, PageFilter, UiSession, error_text, heading_label
from desktop_app.ui.widgets.message_label import MessageLabel
from desktop_app.ui.widgets.permission import RECORD_DELIVERIES, allow
from desktop_app.ui.widgets.rate_chart import RateChartWidget
from desktop_app.ui.widgets.setup_checklist import SetupChecklistWidget
from desktop_app.ui.widgets.step_timeline import StepTimelineWidget

WATCHED = ("reference_set", "set_link", "milestone_rule", "regulatory_rules", "roadmap_step",
           "step_signoff", "delivery",
           "vehicle_model", "part", "submission", "decision", "certificate", "site",
           "sync_package", "sync", "user", "supplier")
STATE_COLOURS = {ModelState.ON_TRACK: "#2E7D32", ModelState.AT_RISK: "#E65100",
                 ModelState.GRACE: "#C62828", ModelState.FROZEN: "#4A148C"}


def _figure_button(name: str, point_size_delta: int = 0) -> QPushButton:
    button = QPushButton(objectName=name)
    button.setFlat(True)
    button.setCursor(Qt.CursorShape.PointingHandCursor)
    if point_size_delta:
        font = button.font()
        font.setPointSize(font.pointSize() + point_size_delta)
        font.setBold(True)
        button.setFont(font)
    button.setStyleSheet("text-align: left; padding: 2px 4px;")
    return button


class DashboardPage(Page):
    page_id = "dashboard"

    def __init__(self, session: UiSession, parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        self._service = DashboardService(session.ctx)
        self.data: Dashboard | None = None
        self.setup: SetupChecklist | None = None
        self.dialog: QWidget | None = None  # a dialog the checklist opened
        self.delivery_dialog: DeliveryDialog | None = None
        self.figures: dict[str, QPushButton] = {}
        self._build_ui()
        self._connect_signals()
        self.retranslate_ui()
        self.refresh()

    def _build_ui(self) -> None:
        self.heading = heading_label()
        self.checklist = SetupChecklistWidget(self.session.actor)
        self.models_box = QGroupBox(objectName="models_box")
        self.models_layout = QHBoxLayout(self.models_box)
        self.chart_box = QGroupBox(objectName="chart_box")
        self.chart_model = QComboBox(objectName="chart_model_combo")
        self.chart_model.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.chart = RateChartWidget()
        chart_layout = QVBoxLayout(self.chart_box)
        chart_layout.addWidget(self.chart_model, 0, Qt.AlignmentFlag.AlignLeft)
        chart_layout.addWidget(self.chart, 1)
        self.steps_box = QGroupBox(objectName="steps_box")
        self.late_button = _figure_button("late_steps_button", 1)
        self.timeline = StepTimelineWidget()
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(self.timeline)
        steps_layout = QVBoxLayout(self.steps_box)
        steps_layout.addWidget(self.late_button, 0, Qt.AlignmentFlag.AlignLeft)
        steps_layout.addWidget(scroll, 1)
        self.pipeline_box = QGroupBox(objectName="pipeline_box")
        self.pipeline_layout = QGridLayout(self.pipeline_box)
        self.expiring_box = QGroupBox(objectName="expiring_box")
        self.expiring_button = _figure_button("expiring_button", 1)
        self.expiring_list = QLabel(textFormat=Qt.TextFormat.PlainText, wordWrap=True)
        self.quantity_list = QLabel(objectName="quantity_list", wordWrap=True,
                                    textFormat=Qt.TextFormat.PlainText)
        self.delivery_button = QPushButton(objectName="delivery_button")
        allow(self.delivery_button, self.session.actor, Permission.RECORD_EVIDENCE,
              RECORD_DELIVERIES)
        expiring_layout = QVBoxLayout(self.expiring_box)
        expiring_layout.addWidget(self.expiring_button)
        expiring_layout.addWidget(self.expiring_list, 1, Qt.AlignmentFlag.AlignTop)
        expiring_layout.addWidget(self.quantity_list)
        expiring_layout.addWidget(self.delivery_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.sites_box = QGroupBox(objectName="sites_box")
        self.sites_layout = QVBoxLayout(self.sites_box)
        self.message = MessageLabel(objectName="dashboard_message")

        middle = QHBoxLayout()
        middle.addWidget(self.chart_box, 3)
        middle.addWidget(self.steps_box, 2)
        bottom = QHBoxLayout()
        for box in (self.pipeline_box, self.expiring_box, self.sites_box):
            bottom.addWidget(box, 1)
        # The figures scroll on a screen too low for them (1366 × 768 with a taskbar) instead of
        # making the window taller than the screen.
        self.body = QWidget(objectName="dashboard_body")
        layout = QVBoxLayout(self.body)
        layout.addWidget(self.heading)
        layout.addWidget(self.checklist)
        layout.addWidget(self.models_box)
        layout.addLayout(middle, 1)
        layout.addLayout(bottom)
        layout.addWidget(self.message)
        page_scroll = QScrollArea(objectName="dashboard_scroll")
        page_scroll.setWidgetResizable(True)
        page_scroll.setFrameShape(QFrame.Shape.NoFrame)
        page_scroll.setWidget(self.body)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(page_scroll)

    def _connect_signals(self) -> None:
        self.chart_model.currentIndexChanged.connect(self._on_chart_model_current_index_changed)
        self.chart.milestone_clicked.connect(self._on_chart_milestone_clicked)
        self.chart.chart_clicked.connect(self._on_chart_chart_clicked)
        self.timeline.step_clicked.connect(self._on_timeline_step_clicked)
        self.late_button.clicked.connect(self.open_late_steps)
        self.expiring_button.clicked.connect(self.open_expiring)
        self.delivery_button.clicked.connect(self._on_delivery_button_clicked)
        self.checklist.action_requested.connect(self._on_checklist_action_requested)

    def title(self) -> str:
        return self.tr("Dashboard")

    def retranslate_ui(self) -> None:
        self.heading.setText(self.tr("Where each vehicle model stands"))
        self.models_box.setTitle(self.tr("Integration rate today"))
        self.chart_box.setTitle(self.tr("Planned and forecast rate, with the regulatory "
                                        "milestones"))
        self.steps_box.setTitle(self.tr("Roadmap steps"))
        self.pipeline_box.setTitle(self.tr("Certification pipeline"))
        self.expiring_box.setTitle(self.tr("Interim approvals expiring soon"))
        self.delivery_button.setText(self.tr("Record a delivery…"))
        self.sites_box.setTitle(self.tr("Last package received from each site"))
        self._fill()

    # -- data ------------------------------------------------------------------------------

    def refresh(self, change: Change | None = None) -> None:
        if change is not None and not change.touches(*WATCHED):
            return
        service, actor = self._service, self.session.actor
        setup = SetupService(self.session.ctx)
        self.session.tasks.submit(lambda: (service.overview(actor), setup.checklist(actor)),
                                  on_done=self._on_loaded, on_error=self._show_error)

    def _on_loaded(self, loaded: tuple[Dashboard, SetupChecklist]) -> None:
        self.data, self.setup = loaded
        self.checklist.set_checklist(self.setup)
        self._fill()

    def _model(self, model_id: str) -> ModelIntegration | None:
        if self.data is None:
            return None
        return next((m for m in self.data.models if m.model_id == model_id), None)

    def _fill(self) -> None:
        if self.data is None:
            return
        data = self.data
        self.figures = {}
        _clear(self.models_layout)
        for m in data.models:
            self.models_layout.addWidget(self._model_card(m))
        if not data.models:
            self.models_layout.addWidget(QLabel(self.tr(
                "No vehicle model yet: add one with “Suppliers and vehicle models” in the "
                "checklist above, or on the Parts page."), objectName="no_models_hint",
                wordWrap=True), 1)
        else:
            self.models_layout.addStretch(1)
        current = self.chart_model.currentData()
        self.chart_model.blockSignals(True)
        self.chart_model.clear()
        for m in data.models:
            self.chart_model.addItem(f"{m.code} — {m.name}", m.model_id)
        index = max(self.chart_model.findData(current), 0)
        self.chart_model.setCurrentIndex(index)
        self.chart_model.blockSignals(False)
        self._show_chart()
        self.timeline.set_steps(list(data.steps), data.today)
        self.late_button.setText(self.tr("Late steps: {n}").format(n=len(data.late_steps)))
        self.figures["late_steps"] = self.late_button
        _clear(self.pipeline_layout)
        for i, (state, count) in enumerate(data.pipeline):
            button = _figure_button(f"pipeline_{state}")
            button.setText(f"{tr('Certification', STATE_LABELS[State(state)])}: {count}")
            button.clicked.connect(lambda _=False, s=state: self.open_pipeline(s))
            self.pipeline_layout.addWidget(button, i // 2, i % 2)
            self.figures[f"pipeline_{state}"] = button
        self.expiring_button.setText(self.tr("Ending within 60 days: {n}").format(
            n=len(data.expiring)))
        self.figures["expiring"] = self.expiring_button
        self.expiring_list.setText("\n".join(
            tr_n("DashboardPage", "{part}: until {day} (%Ln days)", e.days_left).format(
                part=e.part_number, day=local_day(e.expires_on))
            for e in data.expiring[:5]))
        self.quantity_list.setText("\n".join(
            tr_n("DashboardPage", "{part}: {shipped} of %Ln pieces shipped ({left} left)",
                 u.quantity_limit).format(part=u.part_number, shipped=local_count(u.shipped),
                                          left=local_count(u.remaining))
            for u in data.by_quantity[:5]))
        self.delivery_button.setVisible(bool(data.by_quantity))
        _clear(self.sites_layout)
        for site in data.sites:
            button = _figure_button(f"site_{site.code}")
            button.setText(self.tr("{code}: package #{seq} received {at}").format(
                code=site.code, seq=site.last_received_sequence,
                at=local_datetime(site.last_received_at)) if site.last_received_sequence
                else self.tr("{code}: nothing received yet").format(code=site.code))
            button.clicked.connect(lambda _=False, s=site: self.open_site(s))
            self.sites_layout.addWidget(button)
            self.figures[f"site_{site.code}"] = button
        if not data.sites:
            self.sites_layout.addWidget(QLabel(self.tr("No other site enrolled.")))
        self.sites_layout.addStretch(1)

    def _model_card(self, m: ModelIntegration) -> QWidget:
        card = QFrame(objectName=f"model_card_{m.code}")
        card.setFrameShape(QFrame.Shape.StyledPanel)
        title = QLabel(f"{m.code} — {m.name}", textFormat=Qt.TextFormat.PlainText)
        bold = title.font()
        bold.setBold(True)
        title.setFont(bold)
        rate = _figure_button(f"rate_{m.code}", 8)
        rate.setText(lists.pct(m.rate))
        rate.setToolTip(self.tr("Sets that count and why the others do not"))
        rate.clicked.connect(lambda _=False, mid=m.model_id: self.open_sets(mid))
        milestone = _figure_button(f"milestone_{m.code}")
        n = m.next_milestone
        milestone.setText(self.tr("Next: ≥ {target} % on {day} — forecast {forecast} %").format(
            target=lists.number(n.target), day=local_day(n.day),
            forecast=lists.number(n.forecast)) if n
            else self.tr("No milestone ahead"))
        milestone.clicked.connect(lambda _=False, mid=m.model_id: self.open_milestones(mid))
        state = _figure_button(f"state_{m.code}", 1)
        text = tr("Integration", MODEL_STATE_LABELS[m.state])
        if m.grace_until:  # on a second line: a narrow screen keeps the card's width
            text += "\n" + self.tr("until {day}").format(day=local_day(m.grace_until))
            text += " — " + self.tr("supply at {share} of plan").format(
                share=lists.share(m.supply_factor))
        state.setText(text)
        state.setStyleSheet(f"text-align: left; padding: 2px 4px; color: "
                            f"{STATE_COLOURS[m.state]};")
        state.clicked.connect(lambda _=False, mid=m.model_id: self.open_milestones(mid))
        approved, registered = self.data.parts_of(m.model_id) if self.data else (0, 0)
        parts = _figure_button(f"parts_{m.code}")
        parts.setText(self.tr("Parts approved today: {approved} of {registered}").format(
            approved=approved, registered=registered))
        parts.setToolTip(self.tr("The parts of this model that hold a valid PPAP approval "
                                 "today, on the Parts page"))
        parts.clicked.connect(lambda _=False, mid=m.model_id: self.open_approved_parts(mid))
        rules = QLabel(objectName=f"rules_{m.code}", textFormat=Qt.TextFormat.PlainText,
                       wordWrap=True)
        rules.setText(self.tr("Rules: {months} months of grace, supply cut by {cut} %, {ends}, "
                              "{freeze}.").format(
            months=m.rules.grace_months, cut=lists.number(m.rules.supply_cut),
            ends=(self.tr("cut ends when the rate is reached") if m.rules.cut_ends_early
                  else self.tr("cut lasts the whole grace")),
            freeze=self.tr("then frozen") if m.rules.freeze else self.tr("no freeze")))
        rules.setToolTip(lists.supply_rules_text(m.rules))
        layout = QVBoxLayout(card)
        layout.addWidget(title)
        layout.addWidget(rate)
        layout.addWidget(milestone)
        layout.addWidget(state)
        layout.addWidget(parts)
        layout.addWidget(rules)
        self.figures.update({f"rate_{m.code}": rate, f"milestone_{m.code}": milestone,
                             f"state_{m.code}": state, f"parts_{m.code}": parts})
        return card

    def _show_chart(self) -> None:
        model_id = self.chart_model.currentData()
        self.chart.set_series(self.data.series.get(model_id) if self.data and model_id
                              else None)

    # -- the pages behind the figures -----------------------------------------------------

    def open_sets(self, model_id: str) -> None:
        m = self._model(model_id)
        if m is not None:
            self.open_page("roadmap", PageFilter("sets", {"model_id": model_id}, self.tr(
                "the reference list of {model}: {n} of {total} sets count").format(
                model=m.code, n=len(m.counting), total=len(m.sets))))

    def open_milestones(self, model_id: str) -> None:
        m = self._model(model_id)
        if m is not None:
            self.open_page("roadmap", PageFilter("rules", {"model_id": model_id}, self.tr(
                "the regulatory milestones of {model}: {state}").format(
                model=m.code, state=tr("Integration", MODEL_STATE_LABELS[m.state]))))

    def open_late_steps(self) -> None:
        if self.data is not None:
            self.open_page("roadmap", PageFilter("late_steps", {}, self.tr(
                "the late roadmap steps of every model ({n} on the dashboard)").format(
                n=len(self.data.late_steps))))

    def open_step(self, step_id: str) -> None:
        step = next((s for s in self.data.steps if s.step_id == step_id), None) \
            if self.data else None
        if step is not None:
            self.open_page("roadmap", PageFilter(
                "step", {"model_id": step.model_id, "step_id": step.step_id},
                self.tr("step {code} of {model}").format(code=step.code, model=step.model_code)))

    def open_expiring(self) -> None:
        if self.data is not None:
            self.open_page("certification", PageFilter(
                "expiring", {"days": str(EXPIRING_WITHIN_DAYS)},
                self.tr("certificates of interim approvals ending within {days} days").format(
                    days=EXPIRING_WITHIN_DAYS)))

    def open_pipeline(self, state: str) -> None:
        self.open_page("certification", PageFilter("submissions", {"state": state}, self.tr(
            "submissions in the state “{state}”").format(
            state=tr("Certification", STATE_LABELS[State(state)]))))

    def open_site(self, site: SiteStatus) -> None:
        self.open_page("sync", PageFilter("site", {"code": site.code}, self.tr(
            "site {code} — {name}").format(code=site.code, name=site.name)))

    def open_approved_parts(self, model_id: str) -> None:
        m = self._model(model_id)
        if m is not None and self.data is not None:
            day = self.data.today.isoformat()
            self.open_page("parts", PageFilter(
                "parts", {"model_id": model_id, "approved_on": day},
                self.tr("parts of {model} approved on {day}").format(
                    model=m.code, day=local_day(day))))

    # -- the first-run checklist -----------------------------------------------------------

    def _on_checklist_action_requested(self, kind: str) -> None:
        step = SetupStepKind(kind)
        if step is SetupStepKind.PEOPLE:
            from desktop_app.ui.dialogs.person_dialog import PersonDialog

            self.open_page("people")
            self._open_dialog(PersonDialog(self.session, self.window()))
        elif step is SetupStepKind.REFERENCE_DATA:
            from desktop_app.ui.dialogs.reference_data_dialog import ReferenceDataDialog

            self._open_dialog(ReferenceDataDialog(self.session, self.window()))
        elif step is SetupStepKind.PARTS:
            self._open_new_part()
        else:  # the site's key and the other sites: the Sync page has both
            self.open_page("sync")

    def _open_new_part(self) -> None:
        from desktop_app.services.suppliers import (
            FamilyService,
            SupplierService,
            VehicleModelService,
        )
        from desktop_app.ui.dialogs.part_dialog import PartDialog, PartRefs

        ctx = self.session.ctx

        def load() -> PartRefs:
            return PartRefs(SupplierService(ctx).suppliers(), VehicleModelService(ctx).models(),
                            FamilyService(ctx).families())

        self.session.tasks.submit(load, on_error=self._show_error, on_done=lambda refs:
                                  self._open_dialog(PartDialog(self.session, refs, None,
                                                               self.window())))

    def _open_dialog(self, dialog: QWidget) -> None:
        if self.dialog is not None:
            self.dialog.close()
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.destroyed.connect(self._on_dialog_destroyed)
        self.dialog = dialog
        dialog.open()  # type: ignore[attr-defined]

    def _on_dialog_destroyed(self) -> None:
        self.dialog = None

    def _on_delivery_button_clicked(self) -> None:
        if self.data is not None and self.data.by_quantity:
            dialog = DeliveryDialog(self.session, self.data.by_quantity, self)
            dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            self.delivery_dialog = dialog
            dialog.show()

    def _on_chart_model_current_index_changed(self, index: int) -> None:
        self._show_chart()

    def _on_chart_milestone_clicked(self, index: int) -> None:
        model_id = self.chart_model.currentData()
        if model_id:
            self.open_milestones(model_id)

    def _on_chart_chart_clicked(self) -> None:
        model_id = self.chart_model.currentData()
        if model_id:
            self.open_sets(model_id)

    def _on_timeline_step_clicked(self, step_id: str) -> None:
        self.open_step(step_id)

    def _show_error(self, exc: BaseException) -> None:
        self.message.show_error(error_text(exc))


def _clear(layout) -> None:
    while layout.count():
        item = layout.takeAt(0)
        widget = item.widget()
        if widget is not None:
            widget.deleteLater()
