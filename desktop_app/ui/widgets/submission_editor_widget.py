"""One submission: its element matrix, the completeness check, the workflow and the signatures."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QListWidget,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.certification import (
    ACTION_LABELS,
    DECISIONS,
    EDITABLE_STATES,
    KIND_LABELS,
    Action,
    signature_meaning,
    state_label,
)
from desktop_app.domain.people import Permission
from desktop_app.domain.ppap import LEVELS, REASON_LABELS, REQUIREMENT_LABELS, Reason, Requirement
from desktop_app.services.certification import CertificationService
from desktop_app.services.certification_decisions import DecisionService
from desktop_app.services.certification_dto import CheckResult, SubmissionDetail
from desktop_app.ui.app_events import Change
from desktop_app.ui.dialogs.evidence_pick_dialog import EvidencePickDialog
from desktop_app.ui.dialogs.psw_dialog import PswDialog
from desktop_app.ui.dialogs.signature_dialog import SignatureDialog
from desktop_app.ui.i18n import tr
from desktop_app.ui.local_time import local_datetime
from desktop_app.ui.pages.base import UiSession, error_text
from desktop_app.ui.widgets.message_label import MessageLabel
from desktop_app.ui.widgets.permission import EDIT_SUBMISSIONS, allow
from desktop_app.ui.widgets.tables import keep_whole

MISSING = QColor("#fde2e1")
COVERED = QColor("#e3f4e1")
WORKFLOW = (Action.SUBMIT, Action.START_REVIEW, Action.APPROVE, Action.APPROVE_INTERIM,
            Action.REJECT, Action.REOPEN, Action.SUSPEND, Action.REINSTATE, Action.REVOKE)
CHANGES = Change.of("submission", "decision", "signature", "certificate")


def _item(text: str) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setToolTip(text)  # cells are elided in a narrow window
    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
    return item


class SubmissionEditorWidget(QWidget):
    submission_changed = Signal(str)  # submission id

    def __init__(self, session: UiSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("submission_editor")
        self.session = session
        self.service = CertificationService(session.ctx)
        self.decisions = DecisionService(session.ctx, self.service)
        self.detail: SubmissionDetail | None = None
        self.check_result: CheckResult | None = None
        self._build_ui()
        self._connect_signals()
        self.retranslate_ui()
        self.show_detail(None)

    # -- building --------------------------------------------------------------------------

    def _build_ui(self) -> None:
        self.title_label = QLabel(objectName="submission_title")
        self.title_label.setTextFormat(Qt.TextFormat.PlainText)
        font = self.title_label.font()
        font.setBold(True)
        font.setPointSize(font.pointSize() + 2)
        self.title_label.setFont(font)
        self.title_label.setWordWrap(True)  # a long designation wraps, never widens the page
        self.state_label = QLabel(objectName="submission_state")
        self.state_label.setTextFormat(Qt.TextFormat.PlainText)
        self.state_label.setWordWrap(True)
        self.level_combo = QComboBox(objectName="level_combo")
        for level in LEVELS:
            self.level_combo.addItem("", level)
        self.reason_combo = QComboBox(objectName="reason_combo")
        for reason in Reason:
            self.reason_combo.addItem("", str(reason))
        self.reason_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.reason_combo.setMinimumContentsLength(18)  # long reasons show in the popup
        self.elements = QTableWidget(0, 5, objectName="element_matrix")
        self.elements.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.elements.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.elements.verticalHeader().hide()
        header = self.elements.horizontalHeader()
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        keep_whole(self.elements, 0)  # element numbers; long names and reasons: tooltips
        self.link_button = QPushButton(objectName="link_evidence_button")
        self.na_button = QPushButton(objectName="not_applicable_button")
        self.unlink_button = QPushButton(objectName="unlink_evidence_button")
        self.check_button = QPushButton(objectName="check_button")
        self.psw_button = QPushButton(objectName="psw_button")
        self.choice_button = QPushButton(objectName="customer_choice_button")
        self.findings = QListWidget(objectName="check_findings")
        self.history = QListWidget(objectName="decision_history")
        for sentences in (self.findings, self.history):
            sentences.setWordWrap(True)
            sentences.setResizeMode(QListWidget.ResizeMode.Adjust)
            sentences.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.workflow_buttons = {a: QPushButton(objectName=f"action_{a}") for a in WORKFLOW}
        self.message = MessageLabel(objectName="submission_message")

        top = QHBoxLayout()
        top.addWidget(self.title_label, 1)
        top.addWidget(self.state_label)
        settings = QHBoxLayout()
        self.level_label, self.reason_label = QLabel(), QLabel()
        settings.addWidget(self.level_label)
        settings.addWidget(self.level_combo)
        settings.addWidget(self.reason_label)
        settings.addWidget(self.reason_combo, 1)
        # Buttons in rows of a grid, not one long row: the page fits 1280 px in every language.
        element_buttons = QGridLayout()
        for i, button in enumerate((self.link_button, self.unlink_button, self.na_button,
                                    self.choice_button, self.check_button, self.psw_button)):
            element_buttons.addWidget(button, i // 3, i % 3)
        element_buttons.setColumnStretch(3, 1)
        workflow = QGridLayout()
        for i, button in enumerate(self.workflow_buttons.values()):
            workflow.addWidget(button, i // 3, i % 3)
        workflow.setColumnStretch(3, 1)
        lower = QSplitter(Qt.Orientation.Horizontal)
        self.findings_box, self.history_box = QWidget(), QWidget()
        self.findings_title, self.history_title = QLabel(), QLabel()
        for box, title, widget in ((self.findings_box, self.findings_title, self.findings),
                                   (self.history_box, self.history_title, self.history)):
            box_layout = QVBoxLayout(box)
            box_layout.setContentsMargins(0, 0, 0, 0)
            box_layout.addWidget(title)
            box_layout.addWidget(widget)
            lower.addWidget(box)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(settings)
        layout.addWidget(self.elements, 3)
        layout.addLayout(element_buttons)
        layout.addWidget(lower, 2)
        layout.addLayout(workflow)
        layout.addWidget(self.message)

    def _connect_signals(self) -> None:
        self.link_button.clicked.connect(self._on_link_clicked)
        self.unlink_button.clicked.connect(self._on_unlink_clicked)
        self.na_button.clicked.connect(self._on_na_clicked)
        self.check_button.clicked.connect(self._on_check_clicked)
        self.psw_button.clicked.connect(self._on_psw_clicked)
        self.choice_button.clicked.connect(self._on_choice_clicked)
        self.level_combo.activated.connect(self._on_level_activated)
        self.reason_combo.activated.connect(self._on_reason_activated)
        for action, button in self.workflow_buttons.items():
            button.clicked.connect(lambda _=False, a=action: self._on_action_clicked(a))

    def retranslate_ui(self) -> None:
        self.elements.setHorizontalHeaderLabels([
            tr("Certification", "No."), tr("Certification", "Element"),
            tr("Certification", "At this level"), tr("Certification", "Evidence"),
            tr("Certification", "Not applicable because")])
        for i, level in enumerate(LEVELS):
            self.level_combo.setItemText(i, tr("Certification", "Level {n}").format(n=level))
        for i, reason in enumerate(Reason):
            self.reason_combo.setItemText(i, tr("Ppap", REASON_LABELS[reason]))
        self.level_label.setText(tr("Certification", "PPAP level"))
        self.reason_label.setText(tr("Certification", "Reason for submission"))
        self.link_button.setText(tr("Certification", "Link evidence…"))
        self.unlink_button.setText(tr("Certification", "Remove links"))
        self.na_button.setText(tr("Certification", "Not applicable…"))
        self.check_button.setText(tr("Certification", "Check completeness"))
        self.psw_button.setText(tr("Certification", "Warrant (PSW)…"))
        self.choice_button.setText(tr("Certification", "Customer: submit / retain"))
        self.choice_button.setToolTip(tr("Certification", "Level 4: the customer says per "
                                                          "element whether it is submitted."))
        self.findings_title.setText(tr("Certification", "What is missing"))
        self.history_title.setText(tr("Certification", "Decisions and signatures"))
        for action, button in self.workflow_buttons.items():
            button.setText(tr("Certification", ACTION_LABELS[action]))
        self.show_detail(self.detail)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    # -- loading and showing ---------------------------------------------------------------

    def load(self, submission_id: str) -> None:
        actor = self.session.actor
        self.session.tasks.submit(lambda: self.service.submission(actor, submission_id),
                                  on_done=self.show_detail, on_error=self._on_error)

    def show_detail(self, detail: SubmissionDetail | None) -> None:
        previous = self.detail.summary.submission_id if self.detail is not None else None
        self.detail = detail
        if detail is None or detail.summary.submission_id != previous:
            self.check_result = None
            self.findings.clear()  # never show another submission's findings
        if detail is not None:
            self._on_check_clicked()  # what is missing, without a click (read only)
        state_allows = bool(detail and detail.summary.state in EDITABLE_STATES
                            and not detail.summary.conflict)
        for w in (self.link_button, self.unlink_button, self.na_button, self.level_combo,
                  self.reason_combo):
            allow(w, self.session.actor, Permission.PREPARE_SUBMISSION, EDIT_SUBMISSIONS,
                  enabled=state_allows)
        self.check_button.setEnabled(detail is not None)
        self.psw_button.setEnabled(detail is not None)
        allow(self.choice_button, self.session.actor, Permission.PREPARE_SUBMISSION,
              EDIT_SUBMISSIONS, enabled=state_allows and detail is not None
              and detail.summary.level == 4)
        for action, button in self.workflow_buttons.items():
            allowed = detail is not None and action in detail.actions
            button.setEnabled(allowed)
            reason = detail.blocked.get(str(action)) if detail else None
            button.setToolTip(tr("Errors", reason[0]).format(**dict(reason[1]))
                              if reason else "")
        if detail is None:
            self.title_label.setText(tr("Certification", "Choose a submission"))
            self.state_label.clear()
            self.elements.setRowCount(0)
            self.history.clear()
            return
        s = detail.summary
        self.title_label.setText(f"{s.number} — {s.part_number} {s.drawing_revision} "
                                 f"{s.designation}")
        state = tr("Certification", state_label(s.kind, s.state))
        kind = tr("Certification", KIND_LABELS[s.kind])
        text = tr("Certification", "{kind} · {state} · round {round}").format(
            kind=kind, state=state, round=s.round)
        if s.conflict:
            text += " · " + tr("Certification", "CONFLICT: merge first")
        self.state_label.setText(text)
        self.level_combo.setCurrentIndex(max(0, self.level_combo.findData(s.level)))
        self.reason_combo.setCurrentIndex(max(0, self.reason_combo.findData(s.reason)))
        self.elements.setRowCount(len(detail.elements))
        for row, e in enumerate(detail.elements):
            requirement = tr("Ppap", REQUIREMENT_LABELS[Requirement(e.requirement)])
            if e.matrix == "*":
                requirement = tr("Certification", "{choice} (customer)").format(choice=requirement)
            evidence = "; ".join(r.label + ("" if r.belongs else " ⚠") for r in e.evidence)
            if e.generated:
                evidence = tr("Certification", "Generated from this submission")
            cells = [e.number, tr("Ppap", e.label), requirement, evidence, e.na_reason]
            colour = COVERED if e.covered else (MISSING if e.required else None)
            for column, text in enumerate(cells):
                item = _item(text)
                item.setData(Qt.ItemDataRole.UserRole, e.code)
                if colour is not None:
                    item.setBackground(QBrush(colour))
                self.elements.setItem(row, column, item)
        self.elements.resizeColumnToContents(0)
        self.elements.resizeColumnToContents(2)
        # N/A reasons are elided (tooltip); the column is at least as wide as its header.
        self.elements.setColumnWidth(4, self.elements.horizontalHeader().sectionSizeHint(4))
        self.history.clear()
        for d in detail.decisions:
            line = f"{local_datetime(d.decided_at)} — {d.decided_by} ({d.site_code}) — " + tr(
                "Certification", ACTION_LABELS[d.action])
            if not d.origin_verified:
                line += " — " + tr("Certification", "its site's signature does not verify here")
            if d.signature is not None:
                line += f" — \u201c{d.signature.meaning}\u201d"
                if not d.signature.covers_current:
                    line += " — " + tr("Certification", "covers a previous revision: the "
                                                        "certificate needs re-approval")
            if d.reason:
                line += f" — {d.reason}"
            if d.certificate_number:
                line += f" — {d.certificate_number}"
            self.history.addItem(line)

    def _selected_element(self) -> str:
        row = self.elements.currentRow()
        item = self.elements.item(row, 0) if row >= 0 else None
        if item is None:
            self.message.show_error(tr("Certification", "Choose an element first."))
            return ""
        return str(item.data(Qt.ItemDataRole.UserRole))

    # -- editing ---------------------------------------------------------------------------

    def _apply(self, fn) -> None:
        self.message.clear()
        self.session.tasks.submit(fn, on_done=self._on_applied, on_error=self._on_error,
                                  changes=CHANGES)

    def _on_applied(self, detail: SubmissionDetail) -> None:
        self.show_detail(detail)
        self.submission_changed.emit(detail.summary.submission_id)

    def _on_link_clicked(self) -> None:
        code = self._selected_element()
        if not code or self.detail is None:
            return
        detail, actor = self.detail, self.session.actor
        dialog = EvidencePickDialog(self.session, detail.summary.part_id, self)
        if dialog.exec() and dialog.selected_ids():
            ids = dialog.selected_ids()
            self._apply(lambda: self.service.link_evidence(
                actor, detail.summary.submission_id, code, ids, expected_rev_id=detail.rev_id))

    def _on_unlink_clicked(self) -> None:
        code = self._selected_element()
        if not code or self.detail is None:
            return
        detail, actor = self.detail, self.session.actor
        row = next(e for e in detail.elements if e.code == code)

        def unlink():
            result = detail
            for ref in row.evidence:
                result = self.service.unlink_evidence(actor, detail.summary.submission_id, code,
                                                      ref.evidence_id)
            return result

        self._apply(unlink)

    def _on_na_clicked(self) -> None:
        code = self._selected_element()
        if not code or self.detail is None:
            return
        reason, ok = QInputDialog.getText(
            self, tr("Certification", "Not applicable"),
            tr("Certification", "Why is this element not applicable? (empty: applicable)"))
        if ok:
            detail, actor = self.detail, self.session.actor
            self._apply(lambda: self.service.mark_not_applicable(
                actor, detail.summary.submission_id, code, reason, expected_rev_id=detail.rev_id))

    def _on_level_activated(self, index: int) -> None:
        level = self.level_combo.itemData(index)
        if self.detail is not None and level != self.detail.summary.level:
            detail, actor = self.detail, self.session.actor
            self._apply(lambda: self.service.update_submission(
                actor, detail.summary.submission_id, level=level, expected_rev_id=detail.rev_id))

    def _on_reason_activated(self, index: int) -> None:
        reason = self.reason_combo.itemData(index)
        if self.detail is not None and reason != self.detail.summary.reason:
            detail, actor = self.detail, self.session.actor
            self._apply(lambda: self.service.update_submission(
                actor, detail.summary.submission_id, reason=Reason(reason),
                expected_rev_id=detail.rev_id))

    def _on_check_clicked(self) -> None:
        if self.detail is None:
            return
        sid, actor = self.detail.summary.submission_id, self.session.actor
        self.check_result = None
        self.session.tasks.submit(lambda: self.service.check(actor, sid),
                                  on_done=lambda result: self._show_check(result, sid),
                                  on_error=lambda exc: self.message.show_error(error_text(exc)))

    def _on_choice_clicked(self) -> None:
        code = self._selected_element()
        if not code or self.detail is None:
            return
        detail, actor = self.detail, self.session.actor
        row = next(e for e in detail.elements if e.code == code)
        if row.matrix != "*":
            self.message.show_error(tr("Certification", "Only elements marked * at this level "
                                                        "take the customer's choice."))
            return
        choices = {**detail.customer_choices, code: "R" if row.requirement == "S" else "S"}
        self._apply(lambda: self.service.update_submission(
            actor, detail.summary.submission_id, customer_choices=choices,
            expected_rev_id=detail.rev_id))

    def _on_psw_clicked(self) -> None:
        if self.detail is not None:
            self.psw_dialog = PswDialog(self.session, self.detail, self)
            self.psw_dialog.finished.connect(self._on_psw_finished)
            self.psw_dialog.open()

    def _on_psw_finished(self, _result: int) -> None:
        if self.psw_dialog.saved is not None:
            self._on_applied(self.psw_dialog.saved)

    def _show_check(self, result: CheckResult, submission_id: str = "") -> None:
        if submission_id and (self.detail is None
                              or self.detail.summary.submission_id != submission_id):
            return  # the person has moved on to another submission
        self.check_result = result
        self.findings.clear()
        if result.ok:
            self.findings.addItem(tr("Certification", "Complete: every required element is "
                                                      "covered and consistent."))
        for finding in result.findings:
            if finding.blocking:
                self.findings.addItem(finding.text(tr))
            else:  # shown to the approver; refuses nothing
                self.findings.addItem(tr("Certification", "For the customer to agree: "
                                                          "{finding}").format(
                    finding=finding.text(tr)))

    # -- workflow --------------------------------------------------------------------------

    def _on_action_clicked(self, action: Action) -> None:
        if self.detail is None:
            return
        detail, actor = self.detail, self.session.actor
        sid = detail.summary.submission_id
        if action in DECISIONS:
            meaning = signature_meaning(action, detail.summary.kind, detail.summary.level)
            dialog = SignatureDialog(
                self.session, action, meaning,
                lambda **kw: self.decisions.decide(actor, sid, action,
                                                   expected_rev_id=detail.rev_id, **kw), self)
            self.signature_dialog = dialog
            dialog.finished.connect(lambda _r: self._on_signature_finished(dialog))
            dialog.open()
            return
        fn = {Action.SUBMIT: self.service.submit, Action.START_REVIEW: self.service.start_review,
              Action.REOPEN: self.service.reopen}[action]
        self._apply(lambda: fn(actor, sid))
        if action is Action.SUBMIT:
            self._on_check_clicked()

    def _on_signature_finished(self, dialog: SignatureDialog) -> None:
        if dialog.result_detail is not None:
            self._on_applied(dialog.result_detail)
            self.message.show_info(tr("Certification", "Signed and recorded."))

    def _on_error(self, exc: BaseException) -> None:
        self.message.show_error(error_text(exc))
        if self.detail is not None:
            self.load(self.detail.summary.submission_id)
