"""Preferences: language, idle lock and the attachment size limit (saved as `prefs/...` keys)."""

from __future__ import annotations

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktop_app.ui import settings as keys
from desktop_app.ui.i18n import LANGUAGES
from desktop_app.ui.settings import Settings

MAX_IDLE_MINUTES = 24 * 60
MAX_ATTACHMENT_MB = 4096


class SettingsDialog(QDialog):
    """Shows the saved values; `save()` writes what the person chose."""

    def __init__(self, settings: Settings, current_language: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("settings_dialog")
        self._settings = settings
        self._build_ui()
        self._connect_signals()
        self.retranslate_ui()
        self.language_combo.setCurrentIndex(
            max(0, self.language_combo.findData(settings.get(keys.LANGUAGE) or current_language)))
        self.idle_spin.setValue(settings.get(keys.IDLE_LOCK_MINUTES))
        self.attachment_spin.setValue(settings.get(keys.ATTACHMENT_LIMIT_MB))

    def _build_ui(self) -> None:
        self.language_combo = QComboBox(objectName="language")
        for code, native in LANGUAGES.items():
            self.language_combo.addItem(native, code)
        self.idle_spin = QSpinBox(objectName="idle_lock_minutes")
        self.idle_spin.setRange(0, MAX_IDLE_MINUTES)
        self.attachment_spin = QSpinBox(objectName="attachment_limit_mb")
        self.attachment_spin.setRange(1, MAX_ATTACHMENT_MB)
        self.language_title, self.idle_title, self.attachment_title = QLabel(), QLabel(), QLabel()
        self.idle_hint = QLabel()
        self.idle_hint.setWordWrap(True)
        form = QFormLayout()
        form.addRow(self.language_title, self.language_combo)
        form.addRow(self.idle_title, self.idle_spin)
        form.addRow("", self.idle_hint)
        form.addRow(self.attachment_title, self.attachment_spin)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(440)

    def _connect_signals(self) -> None:
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

    def retranslate_ui(self) -> None:
        self.setWindowTitle(self.tr("Settings"))
        self.language_title.setText(self.tr("Language"))
        self.idle_title.setText(self.tr("Lock after"))
        self.idle_spin.setSuffix(self.tr(" min without input"))
        self.idle_spin.setSpecialValueText(self.tr("Never"))
        self.idle_hint.setText(self.tr(
            "When nobody touches the keyboard or mouse for this long, PartDesk hides the data "
            "until the same person enters their password again."))
        self.attachment_title.setText(self.tr("Largest attachment"))
        self.attachment_spin.setSuffix(self.tr(" MB"))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    @property
    def language(self) -> str:
        return str(self.language_combo.currentData())

    def save(self) -> None:
        self._settings.set(keys.LANGUAGE, self.language)
        self._settings.set(keys.IDLE_LOCK_MINUTES, self.idle_spin.value())
        self._settings.set(keys.ATTACHMENT_LIMIT_MB, self.attachment_spin.value())
        self._settings.sync()
