"""Choose evidence of the part revision to link to a PPAP element."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop_app.services.certification import CertificationService
from desktop_app.services.certification_dto import EvidenceRef
from desktop_app.ui.i18n import tr
from desktop_app.ui.pages.base import UiSession, error_text
from desktop_app.ui.widgets.message_label import MessageLabel


class EvidencePickDialog(QDialog):
    def __init__(self, session: UiSession, part_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("evidence_pick_dialog")
        self._session = session
        self._build_ui()
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.retranslate_ui()
        service, actor = CertificationService(session.ctx), session.actor
        session.tasks.submit(lambda: service.evidence_candidates(actor, part_id),
                             on_done=self._on_loaded,
                             on_error=lambda exc: self.message.show_error(error_text(exc)))

    def _build_ui(self) -> None:
        self.intro = QLabel(wordWrap=True)
        self.list = QListWidget(objectName="evidence_candidates")
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.message = MessageLabel(objectName="evidence_pick_message")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.resize(560, 400)

    def retranslate_ui(self) -> None:
        self.setWindowTitle(tr("Certification", "Link evidence"))
        self.intro.setText(tr("Certification", "Evidence recorded for this part revision "
                                               "(reports, then attached files):"))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    def _on_loaded(self, refs: list[EvidenceRef]) -> None:
        for ref in refs:
            text = f"{ref.label}  [{ref.kind}]" + (f"  {ref.sha256[:12]}" if ref.sha256 else "")
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, ref.evidence_id)
            self.list.addItem(item)
        if not refs:
            self.message.show_error(tr("Certification", "No evidence is recorded for this part "
                                                        "revision yet."))

    def selected_ids(self) -> list[str]:
        return [str(i.data(Qt.ItemDataRole.UserRole)) for i in self.list.selectedItems()]
