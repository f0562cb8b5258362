"""The Part Submission Warrant of a submission: generated from its data, with the few fields a
person types for the warrant only (purchase order, buyer, IMDS, production rate...), and printed
as a PDF in the language of the window ("Print warrant…")."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, QLocale
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.certification import EDITABLE_STATES
from desktop_app.domain.people import Permission
from desktop_app.domain.psw import ANSWER_LABELS, WARRANT_FIELDS, Answer, FieldKind
from desktop_app.services.certification import CertificationService
from desktop_app.services.certification_dto import PswSummary, SubmissionDetail
from desktop_app.services.certification_psw import (
    PSW_FIELDS,
    psw_summary,
    update_warrant_fields,
    write_psw_pdf,
)
from desktop_app.ui.app_events import Change
from desktop_app.ui.i18n import normalise, tr
from desktop_app.ui.pages.base import UiSession, error_text
from desktop_app.ui.widgets.message_label import MessageLabel
from desktop_app.ui.widgets.permission import EDIT_SUBMISSIONS, allow, denied_reason
from desktop_app.ui.widgets.read_only import set_locked

PSW_TEXT_LIMIT = 500  # record_schemas: a warrant field is Text(500)


def psw_text(summary: PswSummary) -> str:
    lines: list[str] = []
    for title, rows in summary.sections:
        lines.append(tr("Psw", title).upper())
        lines += [f"  {tr('Psw', label)}: {value}" for label, value in rows]
        lines.append("")
    return "\n".join(lines)


class PswDialog(QDialog):
    def __init__(self, session: UiSession, detail: SubmissionDetail,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("psw_dialog")
        self._session = session
        self._detail = detail
        self._service = CertificationService(session.ctx)
        self.summary: PswSummary | None = None
        self.saved: SubmissionDetail | None = None
        self._build_ui()
        self.save_button.clicked.connect(self._on_save_clicked)
        self.print_button.clicked.connect(self._on_print_clicked)
        self.buttons.rejected.connect(self.reject)
        self.retranslate_ui()
        self._load()

    def _build_ui(self) -> None:
        self.text = QPlainTextEdit(objectName="psw_text", readOnly=True)
        form_widget = QWidget()
        self.form = QFormLayout(form_widget)
        self.edits: dict[str, QLineEdit] = {}
        self.choices: dict[str, QComboBox] = {}
        self.labels: dict[str, QLabel] = {}
        for spec in WARRANT_FIELDS:
            value = self._detail.psw.get(spec.key, "")
            widget: QWidget
            if spec.kind is FieldKind.CHOICE:
                combo = QComboBox(objectName=f"psw_{spec.key}")
                for answer in (Answer.UNKNOWN, Answer.YES, Answer.NO, Answer.NA):
                    combo.addItem("", answer.value)
                combo.setCurrentIndex(max(0, combo.findData(value)))
                self.choices[spec.key] = combo
                widget = combo
            else:
                edit = QLineEdit(objectName=f"psw_{spec.key}")
                edit.setMaxLength(PSW_TEXT_LIMIT)  # what the submission record holds
                edit.setText(value)
                self.edits[spec.key] = edit
                widget = edit
            self.labels[spec.key] = QLabel()
            self.form.addRow(self.labels[spec.key], widget)
        summary, actor = self._detail.summary, self._session.actor
        state_allows = summary.state in EDITABLE_STATES and not summary.conflict
        editable = state_allows and actor.can(Permission.PREPARE_SUBMISSION)
        reason = denied_reason(actor, Permission.PREPARE_SUBMISSION, EDIT_SUBMISSIONS) or (
            tr("Psw", "Locked: the submission was edited at two sites; merge it on the "
                      "Conflicts page first.") if summary.conflict else
            tr("Psw", "Locked: a submission in this state cannot be changed."))
        for widget in (*self.edits.values(), *self.choices.values()):
            set_locked(widget, not editable, reason)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(form_widget)
        self.save_button = QPushButton(objectName="psw_save_button")
        allow(self.save_button, actor, Permission.PREPARE_SUBMISSION, EDIT_SUBMISSIONS,
              enabled=state_allows)
        self.print_button = QPushButton(objectName="psw_print_button")
        self.message = MessageLabel(objectName="psw_message")
        splitter = QSplitter()
        splitter.addWidget(self.text)
        splitter.addWidget(scroll)
        splitter.setSizes([560, 380])
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.addButton(self.print_button, QDialogButtonBox.ButtonRole.ActionRole)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.resize(980, 640)

    def retranslate_ui(self) -> None:
        self.setWindowTitle(tr("Psw", "Part Submission Warrant"))
        for key, label in self.labels.items():
            label.setText(tr("Psw", PSW_FIELDS[key]))
        for combo in self.choices.values():
            for index in range(combo.count()):
                answer = Answer(combo.itemData(index))
                combo.setItemText(index, tr("Psw", ANSWER_LABELS[answer])
                                  if answer is not Answer.UNKNOWN else "")
        for key, edit in self.edits.items():
            if key.endswith("_date"):
                edit.setPlaceholderText(tr("Psw", "YYYY-MM-DD"))
        self.save_button.setText(tr("Psw", "Save the warrant fields"))
        self.print_button.setText(tr("Psw", "Print warrant…"))
        self.print_button.setToolTip(tr("Psw", "Save the warrant as a PDF in the language of "
                                               "the window"))
        if self.summary is not None:
            self._load()  # the values that are words come translated

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    def _load(self) -> None:
        service, actor = self._service, self._session.actor
        sid = self._detail.summary.submission_id
        self._session.tasks.submit(lambda: psw_summary(service, actor, sid, tr),
                                   on_done=self._on_loaded,
                                   on_error=lambda exc: self.message.show_error(error_text(exc)))

    def _on_loaded(self, summary: PswSummary) -> None:
        self.summary = summary
        self.text.setPlainText(psw_text(summary))

    def values(self) -> dict[str, str]:
        """The warrant fields as typed and chosen (fields this version does not show kept)."""
        return {**self._detail.psw,
                **{k: e.text().strip() for k, e in self.edits.items()},
                **{k: str(c.currentData() or "") for k, c in self.choices.items()}}

    def _on_save_clicked(self) -> None:
        values = self.values()
        service, actor, detail = self._service, self._session.actor, self._detail
        self._session.tasks.submit(
            lambda: update_warrant_fields(service, actor, detail.summary.submission_id, values,
                                          expected_rev_id=detail.rev_id),
            on_done=self._on_saved, on_error=lambda exc: self.message.show_error(error_text(exc)),
            changes=Change.of("submission"))

    def _on_saved(self, detail: SubmissionDetail) -> None:
        self._detail = detail
        self.saved = detail
        self.message.show_info(tr("Psw", "Saved."))
        self._load()

    def _on_print_clicked(self) -> None:
        name = f"{self._detail.summary.number}-PSW.pdf"
        path, _ = QFileDialog.getSaveFileName(self, tr("Psw", "Print the warrant as a PDF"),
                                              name, tr("Psw", "PDF document (*.pdf)"))
        if path:
            self.print_to(Path(path))

    def print_to(self, path: Path) -> None:
        """Write the warrant as a PDF, in the language of the window."""
        if path.suffix.lower() != ".pdf":
            path = path.with_name(path.name + ".pdf")
        service, actor = self._service, self._session.actor
        sid = self._detail.summary.submission_id
        language = normalise(QLocale().name())
        self.message.show_info(tr("Psw", "Printing the warrant…"))
        self._session.tasks.submit(
            lambda: write_psw_pdf(service, actor, sid, path, language, tr),
            on_done=lambda written: self.message.show_info(
                tr("Psw", "Warrant written to {file}.").format(file=written.name)),
            on_error=lambda exc: self.message.show_error(error_text(exc)))
