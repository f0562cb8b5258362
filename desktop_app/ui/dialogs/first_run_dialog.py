"""First run: create this data folder's site, its key pair and the first administrator."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.errors import PartDeskError, ValidationError
from desktop_app.domain.people import (
    SITE_KIND_LABELS,
    SiteKind,
    check_new_password,
    check_site_code,
    check_username,
)
from desktop_app.domain.text import QT_TRANSLATE_NOOP
from desktop_app.ui.dialogs.sign_in_dialog import ContextSource, context_source
from desktop_app.ui.i18n import tr
from desktop_app.ui.tasks import TaskRunner
from desktop_app.ui.widgets.message_label import MessageLabel

if TYPE_CHECKING:
    from desktop_app.services.context import ServiceContext
    from desktop_app.services.dto import PersonSummary, SiteInfo

SITE_NAME_MISSING = QT_TRANSLATE_NOOP("Errors", "A site needs a name.")
FULL_NAME_MISSING = QT_TRANSLATE_NOOP("Errors", "A person needs a full name.")
PASSWORDS_DIFFER = QT_TRANSLATE_NOOP("Errors", "The two passwords differ.")


class FirstRunDialog(QDialog):
    """Checks each field as it is typed; Create runs `SiteService.initialise` on the worker."""

    site_created = Signal(object)  # SiteInfo, after the person has seen the fingerprint

    def __init__(self, ctx: ServiceContext | ContextSource, tasks: TaskRunner,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("first_run_dialog")
        self._context = context_source(ctx)
        self._tasks = tasks
        self._touched: set[QWidget] = set()
        self._busy = False
        self.site: SiteInfo | None = None
        self._build_ui()
        self._connect_signals()
        self.retranslate_ui()
        self._validate()

    # -- building --------------------------------------------------------------------------

    def _build_ui(self) -> None:
        self.heading_label = QLabel()
        font = self.heading_label.font()
        font.setPointSize(font.pointSize() + 5)
        font.setBold(True)
        self.heading_label.setFont(font)
        self.intro_label = QLabel()
        self.intro_label.setWordWrap(True)

        self.site_code_edit = QLineEdit(objectName="site_code")
        self.site_code_edit.setMaxLength(8)
        self.site_name_edit = QLineEdit(objectName="site_name")
        self.kind_combo = QComboBox(objectName="site_kind")
        for kind in SiteKind:
            self.kind_combo.addItem("", str(kind))
        self.username_edit = QLineEdit(objectName="admin_username")
        self.full_name_edit = QLineEdit(objectName="admin_full_name")
        self.password_edit = QLineEdit(objectName="admin_password")
        self.repeat_edit = QLineEdit(objectName="admin_password_repeat")
        for edit in (self.password_edit, self.repeat_edit):
            edit.setEchoMode(QLineEdit.EchoMode.Password)

        self.site_box = QGroupBox()
        site_form = QFormLayout(self.site_box)
        self.site_code_title, self.site_name_title, self.kind_title = QLabel(), QLabel(), QLabel()
        site_form.addRow(self.site_code_title, self.site_code_edit)
        site_form.addRow(self.site_name_title, self.site_name_edit)
        site_form.addRow(self.kind_title, self.kind_combo)
        self.admin_box = QGroupBox()
        admin_form = QFormLayout(self.admin_box)
        self.username_title, self.full_name_title = QLabel(), QLabel()
        self.password_title, self.repeat_title = QLabel(), QLabel()
        admin_form.addRow(self.username_title, self.username_edit)
        admin_form.addRow(self.full_name_title, self.full_name_edit)
        admin_form.addRow(self.password_title, self.password_edit)
        admin_form.addRow(self.repeat_title, self.repeat_edit)
        self.error_label = MessageLabel(objectName="first_run_error")

        form_page = QWidget()
        form_layout = QVBoxLayout(form_page)
        form_layout.setContentsMargins(0, 0, 0, 0)
        form_layout.addWidget(self.intro_label)
        form_layout.addWidget(self.site_box)
        form_layout.addWidget(self.admin_box)
        form_layout.addWidget(self.error_label)
        form_layout.addStretch(1)

        self.done_label = QLabel(objectName="first_run_done")
        self.done_label.setWordWrap(True)
        self.done_label.setTextFormat(Qt.TextFormat.PlainText)
        self.fingerprint_label = QLabel(objectName="fingerprint")
        self.fingerprint_label.setTextFormat(Qt.TextFormat.PlainText)
        self.fingerprint_label.setWordWrap(True)
        fixed = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        fixed.setPointSizeF(fixed.pointSizeF() * 1.15)
        fixed.setBold(True)
        self.fingerprint_label.setFont(fixed)
        self.fingerprint_label.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse)
        self.fingerprint_hint = QLabel()
        self.fingerprint_hint.setWordWrap(True)
        done_page = QWidget()
        done_layout = QVBoxLayout(done_page)
        done_layout.addWidget(self.done_label)
        done_layout.addWidget(self.fingerprint_label)
        done_layout.addWidget(self.fingerprint_hint)
        done_layout.addStretch(1)

        self.pages = QStackedWidget()
        self.pages.addWidget(form_page)
        self.pages.addWidget(done_page)

        self.buttons = QDialogButtonBox()
        self.create_button = QPushButton(objectName="create_button")
        self.create_button.setDefault(True)
        self.continue_button = QPushButton(objectName="continue_button")
        self.quit_button = QPushButton(objectName="quit_button")
        self.buttons.addButton(self.create_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(self.continue_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(self.quit_button, QDialogButtonBox.ButtonRole.RejectRole)
        self.continue_button.hide()

        layout = QVBoxLayout(self)
        layout.addWidget(self.heading_label)
        layout.addWidget(self.pages, 1)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(520)

    def _connect_signals(self) -> None:
        for edit in self._edits():
            edit.textEdited.connect(lambda _text, e=edit: self._on_field_edited(e))
        self.create_button.clicked.connect(self._on_create_button_clicked)
        self.continue_button.clicked.connect(self._on_continue_button_clicked)
        self.quit_button.clicked.connect(self.reject)

    def _edits(self) -> tuple[QLineEdit, ...]:
        return (self.site_code_edit, self.site_name_edit, self.username_edit,
                self.full_name_edit, self.password_edit, self.repeat_edit)

    def _align_form_labels(self) -> None:
        """The two forms share one label column, so their fields line up (in every language)."""
        titles = (self.site_code_title, self.site_name_title, self.kind_title,
                  self.username_title, self.full_name_title, self.password_title,
                  self.repeat_title)
        for title in titles:
            title.setMinimumWidth(0)
        width = max(title.sizeHint().width() for title in titles)
        for title in titles:
            title.setMinimumWidth(width)

    def retranslate_ui(self) -> None:
        self.setWindowTitle(self.tr("PartDesk — First start"))
        self.heading_label.setText(self.tr("Set up this data folder") if self.site is None
                                   else self.tr("This data folder is ready"))
        self.intro_label.setText(self.tr(
            "This folder has no site yet. Name the site that works here and its first "
            "administrator; the administrator then adds the other people."))
        self.site_box.setTitle(self.tr("Site"))
        self.site_code_title.setText(self.tr("Site code"))
        self.site_code_edit.setPlaceholderText(self.tr("e.g. MSR"))
        self.site_name_title.setText(self.tr("Site name"))
        self.kind_title.setText(self.tr("Kind of site"))
        for index in range(self.kind_combo.count()):
            kind = SiteKind(self.kind_combo.itemData(index))
            self.kind_combo.setItemText(index, tr("Sites", SITE_KIND_LABELS[kind]))
        self.admin_box.setTitle(self.tr("First administrator"))
        self.username_title.setText(self.tr("User name"))
        self.full_name_title.setText(self.tr("Full name"))
        self.password_title.setText(self.tr("Password"))
        self.repeat_title.setText(self.tr("Repeat the password"))
        self._align_form_labels()
        self.create_button.setText(self.tr("Create"))
        self.continue_button.setText(self.tr("Continue"))
        self.quit_button.setText(self.tr("Quit"))
        self.fingerprint_hint.setText(self.tr(
            "Other sites enrol this site's key by this fingerprint: read it to their "
            "administrator by telephone or in person, never only by e-mail."))
        if self.site is not None:
            self.done_label.setText(self.tr("Site {code} — {name} is ready. Its key fingerprint:")
                                    .format(code=self.site.code, name=self.site.name))
        self._validate()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    # -- validation as you type ------------------------------------------------------------

    def _problems(self) -> list[tuple[QWidget, PartDeskError]]:
        problems: list[tuple[QWidget, PartDeskError]] = []

        def check(widget: QWidget, rule) -> None:
            try:
                rule()
            except PartDeskError as exc:
                problems.append((widget, exc))

        def required(text: str, template: str) -> None:
            if not text.strip():
                raise ValidationError(template)

        username = self.username_edit.text().strip()
        check(self.site_code_edit, lambda: check_site_code(self.site_code_edit.text()))
        check(self.site_name_edit, lambda: required(self.site_name_edit.text(), SITE_NAME_MISSING))
        check(self.username_edit, lambda: check_username(self.username_edit.text()))
        check(self.full_name_edit,
              lambda: required(self.full_name_edit.text(), FULL_NAME_MISSING))
        check(self.password_edit,
              lambda: check_new_password(self.password_edit.text(), username))
        if self.repeat_edit.text() != self.password_edit.text():
            problems.append((self.repeat_edit, ValidationError(PASSWORDS_DIFFER)))
        return problems

    def _validate(self) -> bool:
        problems = self._problems()
        shown = [exc for widget, exc in problems if widget in self._touched]
        if shown:
            self.error_label.show_error(shown[0])
        elif not self._busy:
            self.error_label.clear()
        self.create_button.setEnabled(not problems and not self._busy)
        return not problems

    def _on_field_edited(self, edit: QLineEdit) -> None:
        self._touched.add(edit)
        if edit is self.password_edit and self.repeat_edit.text():
            self._touched.add(self.repeat_edit)
        self._validate()

    # -- creating --------------------------------------------------------------------------

    def _on_create_button_clicked(self) -> None:
        if self._busy or not self._validate():
            return
        values = (self.site_code_edit.text(), self.site_name_edit.text(),
                  SiteKind(self.kind_combo.currentData()), self.username_edit.text(),
                  self.full_name_edit.text(), self.password_edit.text())
        context = self._context

        def initialise() -> tuple[SiteInfo, PersonSummary]:
            from desktop_app.services.site import SiteService

            return SiteService(context()).initialise(*values)

        self._set_busy(True)
        self._tasks.submit(initialise, on_done=self._on_site_initialised,
                           on_error=self._on_create_failed)

    def _on_site_initialised(self, result: tuple[SiteInfo, PersonSummary]) -> None:
        self._set_busy(False)
        self.site = result[0]
        for edit in (self.password_edit, self.repeat_edit):
            edit.clear()
        self.fingerprint_label.setText(self.site.fingerprint)
        self.pages.setCurrentIndex(1)
        self.create_button.hide()
        self.quit_button.hide()
        self.continue_button.show()
        self.retranslate_ui()
        self.buttons.layout().activate()  # place the new button now, before any click
        self.layout().activate()
        self.continue_button.setFocus()

    def _on_create_failed(self, exc: BaseException) -> None:
        self._set_busy(False)
        self.error_label.show_error(exc)

    def _on_continue_button_clicked(self) -> None:
        if self.site is not None:
            self.site_created.emit(self.site)
            self.accept()

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.pages.setEnabled(not busy)
        self.create_button.setEnabled(not busy)
        if busy:
            self.setCursor(Qt.CursorShape.BusyCursor)
        else:
            self.unsetCursor()
