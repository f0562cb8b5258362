"""Certification: submissions (paged list and editor) and the certificate register."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.certification import KIND_LABELS, STATE_LABELS, State, state_label
from desktop_app.domain.people import Permission
from desktop_app.services.certification import CertificationService
from desktop_app.services.certification_dto import SubmissionSummary
from desktop_app.ui.app_events import Change
from desktop_app.ui.dialogs.new_submission_dialog import NewSubmissionDialog
from desktop_app.ui.i18n import tr
from desktop_app.ui.local_time import local_date, local_datetime
from desktop_app.ui.models.paged_table_model import Column, PagedTableModel
from desktop_app.ui.pages.base import Page, PageFilter, UiSession
from desktop_app.ui.widgets.certificate_register_widget import CertificateRegisterWidget
from desktop_app.ui.widgets.deviation_list_widget import DeviationListWidget
from desktop_app.ui.widgets.empty_hint import EmptyHint
from desktop_app.ui.widgets.laboratories_widget import LaboratoriesWidget
from desktop_app.ui.widgets.message_label import MessageLabel
from desktop_app.ui.widgets.permission import allow
from desktop_app.ui.widgets.retention_widget import RetentionWidget
from desktop_app.ui.widgets.scan_field import ScanField
from desktop_app.ui.widgets.submission_editor_widget import SubmissionEditorWidget
from desktop_app.ui.widgets.tables import keep_whole

RECORD_TYPES = ("submission", "decision", "signature", "certificate", "part", "test_report",
                "attachment", "deviation", "deviation_decision", "production_end",
                "retention_policy", "laboratory", "inspection_document")


class CertificationPage(Page):
    page_id = "certification"
    # "submissions": value "state"; "expiring": value "days" (interim approvals ending within)
    filter_kinds = ("submissions", "expiring")

    def __init__(self, session: UiSession, parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        self.service = CertificationService(session.ctx)
        self._build_ui()
        self._connect_signals()
        self.retranslate_ui()
        self.refresh()

    def title(self) -> str:
        return tr("Certification", "Certification")

    def _columns(self) -> list[Column]:
        def conflict(s: SubmissionSummary) -> str:
            return " ⚠" if s.conflict else ""

        return [
            Column("number", lambda: tr("Certification", "Submission"),
                   lambda s: s.number + conflict(s)),
            Column("part", lambda: tr("Certification", "Part"),
                   lambda s: f"{s.part_number} {s.drawing_revision}"),
            Column("kind", lambda: tr("Certification", "Kind"),
                   lambda s: f"PPAP {s.level}" if s.kind == "ppap" else "OTS",
                   tooltip=lambda s: tr("Certification", KIND_LABELS[s.kind])),
            Column("state", lambda: tr("Certification", "State"),
                   lambda s: tr("Certification", state_label(s.kind, s.state))),
            Column("updated", lambda: tr("Certification", "Changed"),
                   lambda s: local_date(s.updated_at),
                   tooltip=lambda s: local_datetime(s.updated_at)),
        ]

    def _build_ui(self) -> None:
        self.tabs = QTabWidget(objectName="certification_tabs")
        submissions = QWidget()
        self.search_edit = QLineEdit(objectName="submission_search")
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setMinimumWidth(130)
        self.state_filter = QComboBox(objectName="submission_state_filter")
        self.state_filter.addItem("", "")
        for state in State:
            self.state_filter.addItem("", str(state))
        self.state_filter.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.state_filter.setMinimumContentsLength(12)
        self.new_button = QPushButton(objectName="new_submission_button")
        allow(self.new_button, self.session.actor, Permission.PREPARE_SUBMISSION)
        self.model = PagedTableModel(self._columns(), self.session.tasks, parent=self)
        self.table = QTableView(objectName="submission_table")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.table.setColumnWidth(2, 60)
        keep_whole(self.table, 0, 1, 4)  # number, part and date on one line, never cut
        self.empty_hint = EmptyHint(self.table, lambda: tr(
            "Certification", "No submission matches this search or state.")
            if self.search_edit.text().strip() or self.state_filter.currentData() else tr(
            "Certification", "No submission yet. A submission is prepared for a part revision "
                             "with “New submission…”."))
        self.editor = SubmissionEditorWidget(self.session)
        self.message = MessageLabel(objectName="certification_message")
        left = QWidget()
        filters = QHBoxLayout()
        filters.addWidget(self.search_edit, 1)
        filters.addWidget(self.state_filter)
        filters.addWidget(self.new_button)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addLayout(filters)
        left_layout.addWidget(self.table, 1)
        splitter = QSplitter(objectName="certification_splitter")
        splitter.addWidget(left)
        splitter.addWidget(self.editor)
        splitter.setChildrenCollapsible(False)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        splitter.setSizes([520, 680])  # the list shows number, part, kind, state and date
        sub_layout = QVBoxLayout(submissions)
        sub_layout.addWidget(splitter, 1)
        sub_layout.addWidget(self.message)
        self.register = CertificateRegisterWidget(self.session)
        self.deviations = DeviationListWidget(self.session)
        self.tabs.addTab(submissions, "")
        self.tabs.addTab(self.register, "")
        self.tabs.addTab(self.deviations, "")
        self.retention = RetentionWidget(self.session)
        self.tabs.addTab(self.retention, "")
        self.laboratories = LaboratoriesWidget(self.session)
        self.tabs.addTab(self.laboratories, "")
        layout = QVBoxLayout(self)
        layout.addWidget(self.make_filter_banner())
        layout.addWidget(self.tabs)
        self.search_timer = QTimer(self, singleShot=True, interval=250)

    def _connect_signals(self) -> None:
        self.table.selectionModel().currentRowChanged.connect(self._on_row_changed)
        self.search_edit.textChanged.connect(lambda _t: self.search_timer.start())
        # Enter (a barcode scanner's too) opens the submission or certificate a number names.
        self.scan = ScanField(self.search_edit, self.session.tasks, self._numbered,
                              self._on_number_scanned, lambda _code: self._reload())
        self.search_timer.timeout.connect(self._reload)
        self.state_filter.currentIndexChanged.connect(lambda _i: self._reload())
        self.new_button.clicked.connect(self._on_new_clicked)
        self.editor.submission_changed.connect(lambda _sid: self.model.reload())
        self.model.total_changed.connect(self._on_model_total_changed)
        self.register.model.total_changed.connect(self._on_register_total_changed)

    def retranslate_ui(self) -> None:
        self.tabs.setTabText(0, tr("Certification", "Submissions"))
        self.tabs.setTabText(1, tr("Certification", "Certificate register"))
        self.tabs.setTabText(2, tr("Certification", "Deviations"))
        self.tabs.setTabText(3, tr("Certification", "Retention"))
        self.tabs.setTabText(4, tr("Certification", "Laboratories"))
        self.search_edit.setPlaceholderText(tr("Certification", "Search submission numbers"))
        self.state_filter.setItemText(0, tr("Certification", "Every state"))
        for i, state in enumerate(State, start=1):
            self.state_filter.setItemText(i, tr("Certification", STATE_LABELS[state]))
        self.new_button.setText(tr("Certification", "New submission…"))
        self.model.retranslate()

    def refresh(self, change: Change | None = None) -> None:
        if change is not None and not change.touches(*RECORD_TYPES):
            return
        self._reload()
        self.register.refresh()
        self.deviations.refresh()
        self.retention.refresh()
        self.laboratories.refresh()
        if self.editor.detail is not None:
            self.editor.load(self.editor.detail.summary.submission_id)

    def _reload(self) -> None:
        service, actor = self.service, self.session.actor
        search, state = self.search_edit.text(), self.state_filter.currentData() or ""
        self.model.set_fetch(lambda offset, limit, _key, _desc: (
            service.list_submissions(actor, offset, limit, search, state),
            service.count_submissions(actor, search, state)))

    def _filter_applied(self, page_filter: PageFilter | None) -> None:
        kind = page_filter.kind if page_filter is not None else ""
        state = page_filter.value("state") if kind == "submissions" else ""
        self.search_edit.blockSignals(True)
        self.search_edit.clear()
        self.search_edit.blockSignals(False)
        self.state_filter.blockSignals(True)
        self.state_filter.setCurrentIndex(max(0, self.state_filter.findData(state)))
        self.state_filter.blockSignals(False)
        if kind == "expiring":
            days, ctx, actor = int(page_filter.value("days") or 60), self.session.ctx, \
                self.session.actor

            def expiring() -> list[str]:
                from desktop_app.services.dashboard import DashboardService

                return [e.certificate_number
                        for e in DashboardService(ctx).expiring_interim(actor, days)]

            self.register.numbers = expiring
            self.tabs.setCurrentWidget(self.register)
        else:
            self.register.numbers = None
            if kind == "submissions":
                self.tabs.setCurrentIndex(0)
        self._reload()
        self.register.refresh()

    def _on_model_total_changed(self, total: int) -> None:
        if self.page_filter is not None and self.page_filter.kind == "submissions":
            self.filtered_count(total)

    def _on_register_total_changed(self, total: int) -> None:
        if self.page_filter is not None and self.page_filter.kind == "expiring":
            self.filtered_count(total)

    def _numbered(self, code: str) -> tuple[str, str]:
        """("submission", its id) or ("certificate", its number) for a number scanned (on the
        worker); NotFound when it is neither."""
        from desktop_app.domain.errors import NotFound
        from desktop_app.services.certificates import CertificateService
        from desktop_app.services.certification_psw import find_submission

        try:
            return "submission", find_submission(self.service, self.session.actor, code)
        except NotFound:
            CertificateService(self.session.ctx).status(self.session.actor, code)
            return "certificate", code.strip().upper()

    def _on_number_scanned(self, found: tuple[str, str]) -> None:
        kind, key = found
        if kind == "submission":
            self.tabs.setCurrentIndex(0)
            self._reload()
            self.editor.load(key)
            return
        self.tabs.setCurrentWidget(self.register)
        rows = self.register.model.loaded_rows()
        row = next((i for i, c in enumerate(rows) if c.number == key), -1)
        if row >= 0:
            self.register.table.selectRow(row)

    def _on_row_changed(self, current, _previous) -> None:
        row = self.model.row_object(current.row()) if current.isValid() else None
        if row is not None:
            self.editor.load(row.submission_id)

    def _on_new_clicked(self) -> None:
        dialog = NewSubmissionDialog(self.session, self)
        if dialog.exec() and dialog.created is not None:
            self.editor.show_detail(dialog.created)
