"""Tab order of dialogs: the data fields in reading order, then Save (or OK) before Cancel.

Qt's default order is the order in which widgets joined their window, which a dialog that fills
its form in `retranslate_ui()` (after its buttons joined) gets wrong. Qt mirrors left and right in
a right-to-left language; the order stays the reading order.
"""

from __future__ import annotations

from itertools import pairwise

from PySide6.QtWidgets import QAbstractButton, QDialogButtonBox, QWidget


def buttons_in_order(box: QDialogButtonBox) -> list[QAbstractButton]:
    """The buttons of a box, the accepting one (Save, OK, Sign in) first."""
    buttons = box.buttons()
    accepting = [b for b in buttons
                 if box.buttonRole(b) in (QDialogButtonBox.ButtonRole.AcceptRole,
                                          QDialogButtonBox.ButtonRole.YesRole,
                                          QDialogButtonBox.ButtonRole.ApplyRole)]
    return accepting + [b for b in buttons if b not in accepting]


def set_tab_order(*widgets: QWidget | QDialogButtonBox | None) -> None:
    """Chain the widgets in this order (None skipped, a button box: its buttons)."""
    chain: list[QWidget] = []
    for widget in widgets:
        if isinstance(widget, QDialogButtonBox):
            chain += buttons_in_order(widget)
        elif widget is not None:
            chain.append(widget)
    for first, second in pairwise(chain):
        QWidget.setTabOrder(first, second)
