"""The history of any record: each revision (who, when, site, why) and its field changes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import (
    QHeaderView,
    QLabel,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop_app.services.dto import RevisionInfo
from desktop_app.services.history import HistoryService
from desktop_app.ui.i18n import tr, tr_n
from desktop_app.ui.local_time import local_datetime
from desktop_app.ui.pages.base import UiSession, error_text

MAX_VALUE = 200


def value_text(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return tr("HistoryWidget", "yes") if value else tr("HistoryWidget", "no")
    if isinstance(value, list):
        return ", ".join(value_text(v) for v in value) or "—"
    text = str(value)
    return text if len(text) <= MAX_VALUE else text[:MAX_VALUE] + "…"


class HistoryWidget(QWidget):
    """Newest revision first; expand a revision to see its fields, old and new values.

    `field_labels` maps a field name ("designations.fr" included) to a translated label;
    `field_values` maps a field name to a function that turns a stored value into text (codes to
    labels, record ids to names)."""

    def __init__(self, session: UiSession, field_labels: dict[str, str] | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.field_labels = dict(field_labels or {})
        self.field_values: dict[str, Callable[[Any], str]] = {}
        self.revisions: list[RevisionInfo] = []
        self.record_id = ""
        self._build_ui()
        self.retranslate_ui()

    def _build_ui(self) -> None:
        self.tree = QTreeWidget(objectName="history_tree")
        self.tree.setColumnCount(4)
        self.tree.setAlternatingRowColors(True)
        self.tree.header().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.status = QLabel(objectName="history_status")
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tree)
        layout.addWidget(self.status)

    def retranslate_ui(self) -> None:
        self.tree.setHeaderLabels([
            tr("HistoryWidget", "When / field"), tr("HistoryWidget", "Who / old value"),
            tr("HistoryWidget", "Site / new value"), tr("HistoryWidget", "Why")])
        if self.revisions:
            self._show(self.revisions)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    def load(self, record_id: str) -> None:
        self.record_id = record_id
        self.status.setText(tr("HistoryWidget", "Loading…"))
        history = HistoryService(self.session.ctx)
        self.session.tasks.submit(lambda: history.history(record_id), on_done=self._show,
                                  on_error=lambda exc: self.status.setText(error_text(exc)))

    def _show(self, revisions: list[RevisionInfo]) -> None:
        self.revisions = list(revisions)
        self.tree.clear()
        for info in self.revisions:
            when = local_datetime(info.created_at, seconds=True)
            why = info.reason
            if info.op == "tombstone":
                why = tr("HistoryWidget", "Deleted: {reason}").format(reason=info.reason)
            elif info.is_merge:
                why = tr("HistoryWidget", "Merged: {reason}").format(reason=info.reason)
            item = QTreeWidgetItem([when, info.author, info.site_code, why])
            item.setToolTip(3, why)
            for name, old, new in info.changes:
                shown = self.field_values.get(name, value_text)
                before = "—" if old is None else shown(old)
                after = "—" if new is None else shown(new)
                child = QTreeWidgetItem([self.field_labels.get(name, name), before, after, ""])
                child.setToolTip(1, before)
                child.setToolTip(2, after)
                item.addChild(child)
            self.tree.addTopLevelItem(item)
        if self.tree.topLevelItemCount():
            self.tree.topLevelItem(0).setExpanded(True)
        for column in range(3):
            self.tree.resizeColumnToContents(column)
        self.status.setText(tr_n("HistoryWidget", "%Ln revisions", len(self.revisions)))
