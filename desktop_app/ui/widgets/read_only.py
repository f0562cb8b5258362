"""Fields a person may not change look it: a grey background and the reason in the tooltip.

    set_locked(self.number_edit, True, tr("PartDialog", "Locked: this revision is released…"))

Text fields become read-only (their text can still be selected and copied); other inputs
(lists, combo boxes, check boxes) are disabled. Unlocking gives back the normal look.
"""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QAbstractSpinBox, QLineEdit, QPlainTextEdit, QTextEdit, QWidget

LOCKED_BASE = QColor("#ececec")
LOCKED_TEXT = QColor("#4a4a4a")


def set_locked(widget: QWidget, locked: bool, reason: str = "") -> None:
    if isinstance(widget, QLineEdit | QPlainTextEdit | QTextEdit | QAbstractSpinBox):
        widget.setReadOnly(locked)
    else:
        widget.setEnabled(not locked)
    was_locked = bool(widget.property("locked"))
    widget.setProperty("locked", locked)
    if locked:
        palette = widget.palette()
        for group in (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive):
            palette.setColor(group, QPalette.ColorRole.Base, LOCKED_BASE)
            palette.setColor(group, QPalette.ColorRole.Text, LOCKED_TEXT)
        widget.setPalette(palette)
        widget.setToolTip(reason)
    elif was_locked:
        widget.setPalette(QPalette())  # the parent's palette again
        widget.setToolTip("")


def is_locked(widget: QWidget) -> bool:
    return bool(widget.property("locked"))
