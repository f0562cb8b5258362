"""Sync: where each other site stands, export and import packages, quarantine, enrolled keys."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.errors import PartDeskError
from desktop_app.domain.people import SITE_KIND_LABELS, Permission, SiteKind
from desktop_app.domain.record_types import record_type_label
from desktop_app.domain.trust import default_scope
from desktop_app.services.dto import SiteInfo
from desktop_app.services.setup import SetupService
from desktop_app.services.site import SiteService
from desktop_app.services.sync import SyncService
from desktop_app.services.sync_dto import (
    ImportPreview,
    ImportSummary,
    QuarantinedPackage,
    SiteKeyFile,
    SiteStatus,
)
from desktop_app.services.sync_keys import SiteKeyService
from desktop_app.storage.audit import Finding
from desktop_app.ui.app_events import EVERYTHING, Change
from desktop_app.ui.dialogs.sync_dialogs import (
    EnrolDialog,
    ExportDialog,
    ImportPreviewDialog,
    ScopeDialog,
)
from desktop_app.ui.i18n import tr, tr_n
from desktop_app.ui.local_time import local_datetime
from desktop_app.ui.pages.base import Page, PageFilter, UiSession, error_text, heading_label
from desktop_app.ui.widgets.empty_hint import EmptyHint
from desktop_app.ui.widgets.message_label import MessageLabel
from desktop_app.ui.widgets.permission import allow
from desktop_app.ui.widgets.tables import keep_whole, read_only_table

SYNC_CHANGE = Change.of("sync", "site")


@dataclass(frozen=True, slots=True)
class SyncPageData:
    site: SiteInfo
    sites: list[SiteStatus]
    quarantine: list[QuarantinedPackage]


def _when(stamp: str) -> str:
    """A stored UTC timestamp as people read it: local time, in the language's format."""
    return local_datetime(stamp)


def _kind(code: str) -> str:
    """A site kind's translated label (the raw code if it is not one we know)."""
    try:
        return tr("Sites", SITE_KIND_LABELS[SiteKind(code)])
    except ValueError:
        return code


SCOPE_COLUMN = 3  # "May write here"


class SyncPage(Page):
    page_id = "sync"
    filter_kinds = ("site",)  # one other site (value "code"), chosen in the list

    def __init__(self, session: UiSession, parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        self._sync = SyncService(session.ctx)
        self._keys = SiteKeyService(session.ctx)
        self.data: SyncPageData | None = None
        self.can_manage = session.actor.can(Permission.MANAGE_SITES)
        self.preview_dialog: ImportPreviewDialog | None = None
        self.last_import: ImportSummary | None = None
        self._build_ui()
        self._connect_signals()
        self.retranslate_ui()
        self.refresh()

    def _build_ui(self) -> None:
        self.heading = heading_label()
        self.own_site = QLabel(objectName="own_site")
        self.own_site.setTextFormat(Qt.TextFormat.PlainText)
        self.own_site.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.export_button = QPushButton(objectName="export_button")
        self.import_button = QPushButton(objectName="import_button")
        self.key_button = QPushButton(objectName="key_button")
        self.enrol_button = QPushButton(objectName="enrol_button")
        self.retire_button = QPushButton(objectName="retire_button")
        self.scope_button = QPushButton(objectName="scope_button")
        allow(self.enrol_button, self.session.actor, Permission.MANAGE_SITES)  # says who may
        for button in (self.scope_button, self.retire_button):
            button.setVisible(self.can_manage)
        buttons = QHBoxLayout()
        for button in (self.export_button, self.import_button, self.key_button,
                       self.enrol_button, self.scope_button, self.retire_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        self.sites_table = read_only_table("sites_table", 9)
        keep_whole(self.sites_table, 0)  # the site code; a cut fingerprint shows as a tooltip
        self.sites_table.horizontalHeader().setStretchLastSection(True)
        self.quarantine_table = read_only_table("quarantine_table", 3)
        self.quarantine_table.horizontalHeader().setSectionResizeMode(
            2, QHeaderView.ResizeMode.Stretch)
        self.sites_hint = EmptyHint(self.sites_table, lambda: self.tr(
            "No other site yet. Save this site's key, send it to the other sites, and enrol "
            "theirs with “Enrol a site…” (an administrator's work)."))
        self.quarantine_hint = EmptyHint(self.quarantine_table, lambda: self.tr(
            "No package was refused."))
        self.tabs = QTabWidget(objectName="sync_tabs")
        self.tabs.addTab(self.sites_table, "")
        self.tabs.addTab(self.quarantine_table, "")
        self.message = MessageLabel(objectName="sync_message")
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.make_filter_banner())
        layout.addWidget(self.own_site)
        layout.addLayout(buttons)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.message)

    def _connect_signals(self) -> None:
        self.export_button.clicked.connect(self._on_export_button_clicked)
        self.import_button.clicked.connect(self._on_import_button_clicked)
        self.key_button.clicked.connect(self._on_key_button_clicked)
        self.enrol_button.clicked.connect(self._on_enrol_button_clicked)
        self.retire_button.clicked.connect(self._on_retire_button_clicked)
        self.scope_button.clicked.connect(self._on_scope_button_clicked)
        self.sites_table.itemSelectionChanged.connect(self._update_buttons)

    def title(self) -> str:
        return self.tr("Sync")

    def retranslate_ui(self) -> None:
        self.heading.setText(self.tr("Exchange with other sites"))
        self.export_button.setText(self.tr("Export a package…"))
        self.import_button.setText(self.tr("Import a package…"))
        self.key_button.setText(self.tr("Save this site's key…"))
        self.enrol_button.setText(self.tr("Enrol a site…"))
        self.retire_button.setText(self.tr("Retire the site's key…"))
        self.scope_button.setText(self.tr("What it may write…"))
        self.sites_table.setHorizontalHeaderLabels([
            self.tr("Site"), self.tr("Name"), self.tr("Kind"), self.tr("May write here"),
            self.tr("Key fingerprint"), self.tr("Key"), self.tr("Last package sent"),
            self.tr("Last package received"), self.tr("Not sent yet")])
        self.quarantine_table.setHorizontalHeaderLabels(
            [self.tr("Refused on"), self.tr("File"), self.tr("Reason")])
        self._fill()

    # -- data ------------------------------------------------------------------------------

    def refresh(self, change: Change | None = None) -> None:
        sync, ctx = self._sync, self.session.ctx

        def load() -> SyncPageData:
            return SyncPageData(SiteService(ctx).local_site(), sync.site_status(),
                                sync.quarantine())

        self.session.tasks.submit(load, on_done=self._on_loaded, on_error=self._show_error)

    def _on_loaded(self, data: SyncPageData) -> None:
        self.data = data
        self._fill()

    def _fill(self) -> None:
        data = self.data
        if data is None:
            return
        self.tabs.setTabText(0, self.tr("Sites ({n})").format(n=len(data.sites)))
        self.tabs.setTabText(1, self.tr("Refused packages ({n})").format(n=len(data.quarantine)))
        self.own_site.setText(self.tr("This site: {code} — {name}. Key fingerprint: {fp}").format(
            code=data.site.code, name=data.site.name, fp=data.site.fingerprint))
        self.sites_table.setRowCount(len(data.sites))
        for row, s in enumerate(data.sites):
            key = (self.tr("retired") if s.retired else self.tr("enrolled") if s.enrolled
                   else self.tr("not enrolled"))
            sent = (self.tr("no. {n}, {at}").format(n=s.last_sent_sequence,
                                                     at=_when(s.last_sent_at))
                    if s.last_sent_sequence else "—")
            got = (self.tr("no. {n}, made {made}, imported {at}").format(
                n=s.last_received_sequence, made=_when(s.last_received_created_at),
                at=_when(s.last_received_at)) if s.last_received_sequence else "—")
            kinds = ", ".join(sorted(tr("RecordTypes", record_type_label(t)) for t in s.scope))
            values = (s.code, s.name, _kind(s.kind), self._scope_text(s), s.fingerprint, key,
                      sent, got, str(s.pending_revisions))
            for col, value in enumerate(values):
                item = QTableWidgetItem(value)  # plain text
                item.setToolTip((kinds or "—") if col == SCOPE_COLUMN else value)
                if s.retired:
                    item.setForeground(Qt.GlobalColor.gray)
                self.sites_table.setItem(row, col, item)
        self.sites_table.resizeColumnsToContents()
        # A long site name is elided (tooltip) so the package columns stay in view.
        self.sites_table.setColumnWidth(1, min(self.sites_table.columnWidth(1), 220))
        self.quarantine_table.setRowCount(len(data.quarantine))
        for row, q in enumerate(data.quarantine):
            for col, value in enumerate((_when(q.at), q.original_name, q.reason)):
                self.quarantine_table.setItem(row, col, QTableWidgetItem(value))
        self._show_filtered_site()
        self.sites_hint.update_hint()
        self.quarantine_hint.update_hint()
        self._update_buttons()

    def _filter_applied(self, page_filter: PageFilter | None) -> None:
        self.tabs.setCurrentIndex(0)
        self._show_filtered_site()

    def _show_filtered_site(self) -> None:
        """Only the site a filter names is listed (every site again without a filter)."""
        code = self.page_filter.value("code") if self.page_filter is not None else ""
        shown = 0
        for row, site in enumerate(self.data.sites if self.data else []):
            hidden = bool(code) and site.code != code
            self.sites_table.setRowHidden(row, hidden)
            shown += not hidden
            if code and not hidden:
                self.sites_table.selectRow(row)
        self.filtered_count(shown)

    def _scope_text(self, site: SiteStatus) -> str:
        """In a word: its kind's defaults or not (the kinds themselves in the tooltip)."""
        if not site.enrolled:
            return "—"
        if frozenset(site.scope) == default_scope(site.kind):
            return self.tr("the defaults of its kind ({n})").format(n=len(site.scope))
        return tr_n("SyncPage", "changed here (%Ln kinds)", len(site.scope))

    def selected_site(self) -> SiteStatus | None:
        rows = self.sites_table.selectionModel().selectedRows()
        if not rows or self.data is None or rows[0].row() >= len(self.data.sites):
            return None
        return self.data.sites[rows[0].row()]

    def _update_buttons(self) -> None:
        site = self.selected_site()
        self.retire_button.setEnabled(site is not None and site.enrolled and not site.retired)
        self.scope_button.setEnabled(site is not None and site.enrolled and not site.retired)

    # -- export ----------------------------------------------------------------------------

    def _on_export_button_clicked(self) -> None:
        self.message.clear()
        dialog = ExportDialog(self.data.sites if self.data else [],
                              self.session.ctx.folder.exports, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(
            lambda: self.export_to(dialog.path(), dialog.target(), dialog.full()))
        dialog.open()

    def export_to(self, path: Path, target: str | None, full: bool) -> None:
        sync, actor = self._sync, self.session.actor
        path.parent.mkdir(parents=True, exist_ok=True)
        self.session.tasks.submit_long(
            lambda progress, cancelled: sync.export_package(
                actor, path, to_site=target, full=full, progress=progress, cancelled=cancelled),
            self.tr("Writing the package…"), self,
            on_done=lambda s: self.message.show_info(self.tr(
                "Package no. {seq} written to {path}: {revisions} revisions, {blobs} files.")
                .format(seq=s.sequence, path=s.path, revisions=s.revisions, blobs=s.blobs)),
            on_error=self._show_error, changes=SYNC_CHANGE)

    # -- import ----------------------------------------------------------------------------

    def _on_import_button_clicked(self) -> None:
        self.message.clear()
        chosen, _ = QFileDialog.getOpenFileName(self, self.tr("Import a package"), "",
                                                self.tr("PartDesk packages (*.partdesk *.zip);;"
                                                        "All files (*)"))
        if chosen:
            self.preview_file(Path(chosen))

    def preview_file(self, path: Path) -> None:
        """Check the package and show what it would change; nothing is applied yet."""
        sync, actor = self._sync, self.session.actor
        self.session.tasks.submit_long(
            lambda progress, cancelled: sync.preview_import(actor, path, progress, cancelled),
            self.tr("Checking the package…"), self,
            on_done=lambda preview: self._on_preview_ready(path, preview),
            on_error=self._on_import_refused, changes=SYNC_CHANGE)

    def _on_preview_ready(self, path: Path, preview: ImportPreview) -> None:
        dialog = ImportPreviewDialog(preview, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self.apply_import(path))
        dialog.destroyed.connect(self._on_preview_closed)
        self.preview_dialog = dialog
        dialog.open()

    def _on_preview_closed(self) -> None:
        self.preview_dialog = None

    def apply_import(self, path: Path) -> None:
        sync, actor = self._sync, self.session.actor
        self.session.tasks.submit_long(
            lambda progress, cancelled: sync.import_package(actor, path, progress, cancelled),
            self.tr("Importing the package…"), self,
            on_done=self._on_imported, on_error=self._on_import_refused, changes=EVERYTHING)

    def _on_imported(self, summary: ImportSummary) -> None:
        self.last_import = summary
        p = summary.preview
        if not summary.applied:
            self.message.show_info(self.tr("This package was imported before; nothing changed."))
            return
        text = tr_n("SyncPage", "Imported package no. {seq} from {code}: %Ln new revisions.",
                    p.new).format(seq=p.sequence, code=p.sender_code)
        if summary.conflicted_records:
            text += " " + tr_n("SyncPage", "%Ln records hold competing versions; merge them "
                               "on the Conflicts page.", len(summary.conflicted_records))
        if summary.warnings:  # about audit logs: the package is in, but someone must look
            text += " " + " ".join(w.message(QCoreApplication.translate)
                                   if isinstance(w, Finding) else w for w in summary.warnings)
            self.message.show_error(text)
            return
        self.message.show_info(text)

    def _on_import_refused(self, exc: BaseException) -> None:
        self._show_error(exc)
        self.refresh()  # the quarantine list grew

    # -- keys ------------------------------------------------------------------------------

    def _on_key_button_clicked(self) -> None:
        chosen, _ = QFileDialog.getSaveFileName(
            self, self.tr("Save this site's key"),
            str(self.session.ctx.folder.exports / "site.partdesk-key"),
            self.tr("Site key files (*.partdesk-key)"))
        if chosen:
            self.save_key(Path(chosen))

    def save_key(self, path: Path) -> None:
        keys = self._keys
        path.parent.mkdir(parents=True, exist_ok=True)
        setup = SetupService(self.session.ctx)

        def save() -> SiteKeyFile:
            written = keys.write_key_file(path)
            setup.record_key_shared()  # the set-up checklist's step is done
            return written

        self.session.tasks.submit(
            save, changes=SYNC_CHANGE,
            on_done=lambda k: self.message.show_info(self.tr(
                "The public key of {code} is in {path}. Read its fingerprint out to the other "
                "site: {fp}").format(code=k.code, path=k.path, fp=k.fingerprint)),
            on_error=self._show_error)

    def _on_enrol_button_clicked(self) -> None:
        self.message.clear()
        dialog = EnrolDialog(self, kind_of=self._kind_in_key_file)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(
            lambda: self.enrol(dialog.path(), dialog.fingerprint(), dialog.scope()))
        dialog.open()

    def _kind_in_key_file(self, path: Path) -> str | None:
        try:
            return self._keys.read_key_file(path)["kind"]
        except PartDeskError:
            return None  # said clearly when the person presses OK

    def enrol(self, path: Path, fingerprint: str, scope: list[str] | None = None) -> None:
        keys, actor = self._keys, self.session.actor
        self.session.tasks.submit(
            lambda: keys.enrol(actor, path, fingerprint, scope_types=scope),
            on_done=lambda k: self.message.show_info(self.tr(
                "Site {code} ({name}) is enrolled.").format(code=k.code, name=k.name)),
            on_error=self._show_error, changes=SYNC_CHANGE)

    def _on_scope_button_clicked(self) -> None:
        site = self.selected_site()
        if site is None:
            return
        dialog = ScopeDialog(site, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self.set_scope(site.code, dialog.types()))
        dialog.open()

    def set_scope(self, code: str, types: list[str]) -> None:
        keys, actor = self._keys, self.session.actor
        self.session.tasks.submit(
            lambda: keys.set_scope(actor, code, types),
            on_done=lambda sc: self.message.show_info(self.tr(
                "Site {code} may now write here: {types}.").format(
                code=sc.code, types=", ".join(sorted(tr("RecordTypes", record_type_label(t))
                                                     for t in sc.record_types)) or "—")),
            on_error=self._show_error, changes=SYNC_CHANGE)

    def _on_retire_button_clicked(self) -> None:
        site = self.selected_site()
        if site is None:
            return
        box = QMessageBox(QMessageBox.Icon.Question, self.tr("Retire the site's key"),
                          self.tr("Refuse every new package signed by {code}'s key? Packages "
                                  "already imported stay.").format(code=site.code),
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, self)
        box.setTextFormat(Qt.TextFormat.PlainText)
        if box.exec() == QMessageBox.StandardButton.Yes:
            self.retire(site.code)

    def retire(self, code: str) -> None:
        keys, actor = self._keys, self.session.actor
        self.session.tasks.submit(
            lambda: keys.retire(actor, code),
            on_done=lambda k: self.message.show_info(self.tr(
                "The key of {code} is retired.").format(code=k.code)),
            on_error=self._show_error, changes=SYNC_CHANGE)

    def _show_error(self, exc: BaseException) -> None:
        self.message.show_error(error_text(exc))
