"""Conflicts: records edited at two sites, their competing values side by side, and a merge that
a person with the right role confirms with a reason."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.people import Permission
from desktop_app.domain.record_types import record_type_label
from desktop_app.services.conflicts import (
    ConflictService,
    ConflictSummary,
    ConflictView,
    MergeResult,
)
from desktop_app.ui.app_events import Change
from desktop_app.ui.i18n import tr
from desktop_app.ui.local_time import local_datetime
from desktop_app.ui.pages.base import Page, UiSession, error_text, heading_label
from desktop_app.ui.widgets.message_label import MessageLabel
from desktop_app.ui.widgets.tables import read_only_table

DIFFERS = QBrush(QColor("#fff3cd"))


def _when(stamp: str) -> str:
    """A stored UTC timestamp as people read it: local time, in the language's format."""
    return local_datetime(stamp)


def _table(name: str, columns: int) -> QTableWidget:
    table = read_only_table(name, columns)
    table.setWordWrap(True)
    table.setAlternatingRowColors(False)
    return table


class ConflictsPage(Page):
    page_id = "conflicts"

    def __init__(self, session: UiSession, parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        self._service = ConflictService(session.ctx)
        self.conflicts: list[ConflictSummary] = []
        self.view: ConflictView | None = None
        self.field_choices: dict[str, QComboBox] = {}
        self.can_merge = session.actor.can(Permission.MERGE_CONFLICTS)
        self._build_ui()
        self._connect_signals()
        self.retranslate_ui()
        self.refresh()

    def _build_ui(self) -> None:
        self.heading = heading_label()
        self.explain = QLabel()
        self.explain.setWordWrap(True)
        self.list_table = _table("conflicts_table", 3)
        self.list_table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.owner_label = QLabel(objectName="owner_label")
        self.owner_label.setTextFormat(Qt.TextFormat.PlainText)
        self.owner_label.setWordWrap(True)
        self.compare_table = _table("compare_table", 0)
        self.compare_table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.take_combo = QComboBox(objectName="take_combo")
        self.reason_edit = QLineEdit(objectName="merge_reason")
        self.merge_button = QPushButton(objectName="merge_button")
        self.take_label, self.reason_label = QLabel(), QLabel()
        form = QFormLayout()
        form.addRow(self.take_label, self.take_combo)
        form.addRow(self.reason_label, self.reason_edit)
        merge_row = QHBoxLayout()
        merge_row.addLayout(form, 1)
        merge_row.addWidget(self.merge_button, 0, Qt.AlignmentFlag.AlignBottom)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.owner_label)
        right_layout.addWidget(self.compare_table, 1)
        right_layout.addLayout(merge_row)
        for widget in (self.take_combo, self.reason_edit, self.merge_button):
            widget.setVisible(self.can_merge)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.list_table)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([380, 900])
        self.message = MessageLabel(objectName="conflicts_message")
        # Said once the list is read and empty: a blank table looks like a page still loading.
        self.none_label = QLabel(objectName="no_conflicts")
        self.none_label.setVisible(False)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.explain)
        layout.addWidget(self.none_label)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.message)

    def _connect_signals(self) -> None:
        self.list_table.itemSelectionChanged.connect(self._on_list_selection_changed)
        self.reason_edit.textChanged.connect(self._update_buttons)
        self.merge_button.clicked.connect(self._on_merge_button_clicked)
        self.take_combo.currentIndexChanged.connect(self._on_take_changed)

    def title(self) -> str:
        return self.tr("Conflicts")

    def retranslate_ui(self) -> None:
        self.heading.setText(self.tr("Records edited at two sites"))
        self.explain.setText(self.tr(
            "Each record below holds competing versions from different sites. Until the site "
            "that created the record merges them, its own version is shown everywhere and "
            "approvals and printing wait. That site chooses, field by field, the value to "
            "keep."))
        self.list_table.setHorizontalHeaderLabels(
            [self.tr("Type"), self.tr("Record"), self.tr("Sites")])
        self.take_label.setText(self.tr("Start from"))
        self.reason_label.setText(self.tr("Reason"))
        self.reason_edit.setPlaceholderText(self.tr("Why this is the right value"))
        self.merge_button.setText(self.tr("Merge"))
        self.none_label.setText(self.tr(
            "No record holds competing versions: there is nothing to merge."))
        self._fill_list()
        self._fill_view()

    # -- data ------------------------------------------------------------------------------

    def refresh(self, change: Change | None = None) -> None:
        service = self._service
        self.session.tasks.submit(service.list_conflicts, on_done=self._on_loaded,
                                  on_error=self._show_error)

    def _on_loaded(self, conflicts: list[ConflictSummary]) -> None:
        selected = self.view.summary.record_id if self.view else None
        self.conflicts = conflicts
        self.none_label.setVisible(not conflicts)
        self._fill_list()
        ids = [c.record_id for c in conflicts]
        if selected in ids:
            self.list_table.selectRow(ids.index(selected))
        else:
            self.view = None
            self._fill_view()

    def _fill_list(self) -> None:
        self.list_table.setRowCount(len(self.conflicts))
        for row, c in enumerate(self.conflicts):
            sites = ", ".join(sorted({h.site_code for h in c.heads}))
            kind = tr("RecordTypes", record_type_label(c.record_type))
            for col, value in enumerate((kind, c.label, sites)):
                self.list_table.setItem(row, col, QTableWidgetItem(value))  # plain text

    def select_record(self, record_id: str) -> None:
        ids = [c.record_id for c in self.conflicts]
        if record_id in ids:
            self.list_table.selectRow(ids.index(record_id))

    def _on_list_selection_changed(self) -> None:
        rows = self.list_table.selectionModel().selectedRows()
        if not rows or rows[0].row() >= len(self.conflicts):
            return
        record_id = self.conflicts[rows[0].row()].record_id
        service = self._service
        self.session.tasks.submit(lambda: service.compare(record_id), on_done=self._on_view,
                                  on_error=self._show_error)

    def _on_view(self, view: ConflictView) -> None:
        self.view = view
        self._fill_view()

    def _fill_view(self) -> None:
        view = self.view
        if view is None:
            self.owner_label.clear()
            self.field_choices = {}  # their combo boxes go with the table's rows
            self.compare_table.setRowCount(0)
            self.compare_table.setColumnCount(0)  # no stray "1" header before a choice
            self.take_combo.clear()
            self._update_buttons()
            return
        heads = view.summary.heads
        if view.summary.owned_here:
            self.owner_label.setText(self.tr(
                "This record was created here: the versions from other sites are proposals, "
                "and you decide what to keep."))
        else:
            self.owner_label.setText(self.tr(
                "This record belongs to site {code}: only {code} can merge it, and its merge "
                "reaches you in its next package.").format(code=view.summary.owner_code))
        self.compare_table.setColumnCount(len(heads) + 2)
        labels = [self.tr("Field")]
        for h in heads:
            who = self.tr("{site}, {author}, {at}").format(site=h.site_code, author=h.author,
                                                          at=_when(h.created_at))
            if h.deleted:
                who += " " + self.tr("(deleted)")
            if h.provisional:
                who += " " + self.tr("(shown until merged)")
            labels.append(who)
        labels.append(self.tr("Keep"))
        self.compare_table.setHorizontalHeaderLabels(labels)
        self.compare_table.setRowCount(len(view.fields))
        self.field_choices = {}
        for row, f in enumerate(view.fields):
            self.compare_table.setItem(row, 0, QTableWidgetItem(f.name))
            for col, value in enumerate(f.values, start=1):
                item = QTableWidgetItem(value)  # plain text, never HTML
                if f.differs:
                    item.setBackground(DIFFERS)
                self.compare_table.setItem(row, col, item)
            if f.differs and self.can_merge:
                combo = QComboBox(objectName=f"keep_{f.name}")
                for h in heads:
                    combo.addItem(f"{h.site_code} {h.rev_id[:8]}", h.rev_id)
                self.compare_table.setCellWidget(row, len(heads) + 1, combo)
                self.field_choices[f.name] = combo
        self.compare_table.resizeColumnsToContents()
        self.take_combo.blockSignals(True)
        self.take_combo.clear()
        for h in heads:
            self.take_combo.addItem(self.tr("{site}, {author} ({rev})").format(
                site=h.site_code, author=h.author, rev=h.rev_id[:8]), h.rev_id)
        self.take_combo.blockSignals(False)
        self._update_buttons()

    def _on_take_changed(self) -> None:
        rev = self.take_combo.currentData()
        for combo in self.field_choices.values():
            combo.setCurrentIndex(max(combo.findData(rev), 0))

    def _update_buttons(self) -> None:
        mergeable = self.view is not None and self.view.summary.owned_here
        self.take_combo.setEnabled(mergeable)
        self.reason_edit.setEnabled(mergeable)
        for combo in self.field_choices.values():
            combo.setEnabled(mergeable)
        self.merge_button.setEnabled(mergeable and bool(self.reason_edit.text().strip()))

    # -- merge -----------------------------------------------------------------------------

    def _on_merge_button_clicked(self) -> None:
        view = self.view
        if view is None:
            return
        take = self.take_combo.currentData()
        choices = {name: combo.currentData() for name, combo in self.field_choices.items()
                   if combo.currentData() != take}
        service, actor, reason = self._service, self.session.actor, self.reason_edit.text()
        record = view.summary
        self.session.tasks.submit(
            lambda: service.merge(actor, record.record_id, take, reason, choices),
            on_done=self._on_merged, on_error=self._show_error,
            changes=Change.of(record.record_type, ids=(record.record_id,)))

    def _on_merged(self, result: MergeResult) -> None:
        self.reason_edit.clear()
        self.message.show_info(self.tr("Merged; the new version will travel with the next "
                                       "package."))
        self.view = None
        self.refresh()

    def _show_error(self, exc: BaseException) -> None:
        self.message.show_error(error_text(exc))
