"""Every keyboard shortcut of the application, in one table.

The main window, the dialogs and the measurement grid take their keys from `SHORTCUTS`, and the
Help list ("Keyboard shortcuts", F1) is drawn from it, so the list cannot disagree with the keys.

Keys are written in Qt's portable form ("Ctrl+S"): Ctrl+digits, Ctrl+letters and standard keys
work whatever the keyboard layout, Arabic and Chinese ones included (Qt matches a Ctrl+letter
by the Latin letter of the key). On a French AZERTY keyboard the digits of the top row need Shift;
the numeric keypad's digits work as they are.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING

from PySide6.QtCore import QKeyCombination, QObject, Qt
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence
from PySide6.QtWidgets import QAbstractButton, QTabWidget, QWidget

from desktop_app.domain.text import QT_TRANSLATE_NOOP
from desktop_app.ui.i18n import tr

if TYPE_CHECKING:
    from desktop_app.ui.main_window import MainWindow

CONTEXT = "Shortcuts"


class Group(Enum):
    PAGES = QT_TRANSLATE_NOOP("Shortcuts", "Pages")
    ACTIONS = QT_TRANSLATE_NOOP("Shortcuts", "Main actions")
    DIALOGS = QT_TRANSLATE_NOOP("Shortcuts", "In a dialog")
    SEARCH = QT_TRANSLATE_NOOP("Shortcuts", "In a search field")
    GRID = QT_TRANSLATE_NOOP("Shortcuts", "In the measurement grid")

    def title(self) -> str:
        return tr(CONTEXT, self.value)


def _normalised(combination: QKeyCombination) -> QKeyCombination:
    """Shift+Tab arrives as Backtab, the keypad's Enter as Enter with the keypad flag: one key
    each, as a person sees them."""
    key = combination.key()
    modifiers = combination.keyboardModifiers() & ~Qt.KeyboardModifier.KeypadModifier
    if key == Qt.Key.Key_Backtab:
        key, modifiers = Qt.Key.Key_Tab, modifiers | Qt.KeyboardModifier.ShiftModifier
    elif key == Qt.Key.Key_Enter:
        key = Qt.Key.Key_Return
    return QKeyCombination(modifiers, key)


@dataclass(frozen=True, slots=True)
class Shortcut:
    action_id: str
    keys: tuple[str, ...]  # portable text, the first is the main one
    description: str  # source text in the "Shortcuts" context
    group: Group

    def sequences(self) -> list[QKeySequence]:
        return [QKeySequence(k) for k in self.keys]

    def text(self) -> str:
        return tr(CONTEXT, self.description)

    def key_text(self) -> str:
        """The keys as this platform and language write them ("Ctrl+S", "Strg+S", "⌘S")."""
        return " / ".join(s.toString(QKeySequence.SequenceFormat.NativeText)
                          for s in self.sequences())

    def matches(self, event: QKeyEvent) -> bool:
        pressed = _normalised(event.keyCombination())
        return any(s.count() == 1 and _normalised(s[0]) == pressed for s in self.sequences())


def _s(action_id: str, keys: str | tuple[str, ...], description: str, group: Group) -> Shortcut:
    return Shortcut(action_id, (keys,) if isinstance(keys, str) else keys, description, group)


SHORTCUTS: tuple[Shortcut, ...] = (
    # Pages, in navigation order; the id after "page." is the page's page_id.
    _s("page.dashboard", "Ctrl+1", QT_TRANSLATE_NOOP("Shortcuts", "Show the dashboard"),
       Group.PAGES),
    _s("page.parts", "Ctrl+2", QT_TRANSLATE_NOOP("Shortcuts", "Show the parts registry"),
       Group.PAGES),
    _s("page.gauges", "Ctrl+3", QT_TRANSLATE_NOOP("Shortcuts", "Show the gauges register"),
       Group.PAGES),
    _s("page.certification", "Ctrl+4", QT_TRANSLATE_NOOP(
        "Shortcuts", "Show certification: submissions and the certificate register"),
       Group.PAGES),
    _s("page.roadmap", "Ctrl+5", QT_TRANSLATE_NOOP("Shortcuts", "Show the roadmap"),
       Group.PAGES),
    _s("page.sync", "Ctrl+6", QT_TRANSLATE_NOOP("Shortcuts", "Show sync: packages and sites"),
       Group.PAGES),
    _s("page.conflicts", "Ctrl+7", QT_TRANSLATE_NOOP("Shortcuts", "Show the conflicts to merge"),
       Group.PAGES),
    _s("page.people", "Ctrl+8", QT_TRANSLATE_NOOP("Shortcuts", "Show the people and their roles"),
       Group.PAGES),
    # The main actions of the window.
    _s("find", "Ctrl+F", QT_TRANSLATE_NOOP(
        "Shortcuts", "Search on this page (the parts registry where a page has no search)"),
       Group.ACTIONS),
    _s("part.new", "Ctrl+N", QT_TRANSLATE_NOOP("Shortcuts", "New part"), Group.ACTIONS),
    _s("parts.import", "Ctrl+I", QT_TRANSLATE_NOOP(
        "Shortcuts", "Import parts from a sheet (Excel, ODS or CSV)"), Group.ACTIONS),
    _s("certificate.print", "Ctrl+P", QT_TRANSLATE_NOOP(
        "Shortcuts", "Print the certificate chosen in the register"), Group.ACTIONS),
    _s("sync.export", "Ctrl+E", QT_TRANSLATE_NOOP("Shortcuts", "Export a sync package"),
       Group.ACTIONS),
    _s("sync.import", "Ctrl+Shift+I", QT_TRANSLATE_NOOP("Shortcuts", "Import a sync package"),
       Group.ACTIONS),
    _s("page.reload", "F5", QT_TRANSLATE_NOOP("Shortcuts", "Reload the page"), Group.ACTIONS),
    _s("window.lock", "Ctrl+L", QT_TRANSLATE_NOOP("Shortcuts", "Lock the window now"),
       Group.ACTIONS),
    _s("window.quit", "Ctrl+Q", QT_TRANSLATE_NOOP("Shortcuts", "Quit"), Group.ACTIONS),
    _s("help.shortcuts", ("F1", "Ctrl+/"), QT_TRANSLATE_NOOP(
        "Shortcuts", "List the keyboard shortcuts"), Group.ACTIONS),
    # Dialogs.
    _s("dialog.save", "Ctrl+S", QT_TRANSLATE_NOOP("Shortcuts", "Save"), Group.DIALOGS),
    _s("dialog.close", "Esc", QT_TRANSLATE_NOOP("Shortcuts", "Close without saving"),
       Group.DIALOGS),
    # Search fields (a barcode scanner types the code and Enter).
    _s("search.open", ("Return", "Enter"), QT_TRANSLATE_NOOP(
        "Shortcuts", "Open what the typed or scanned code names exactly (a part number, a "
                     "gauge, a submission or certificate number); otherwise search for it"),
       Group.SEARCH),
    # The measurement grid (ui/widgets/reading_table.py); typing into a cell starts editing it.
    _s("grid.down", ("Return", "Enter"), QT_TRANSLATE_NOOP(
        "Shortcuts", "Keep the reading and go down to the next sample; after the last sample, "
                     "to the next empty cell; on an empty cell (a footswitch), move on"),
       Group.GRID),
    _s("grid.up", ("Shift+Return", "Shift+Enter"), QT_TRANSLATE_NOOP(
        "Shortcuts", "Keep the reading and go back up"), Group.GRID),
    _s("grid.next", "Tab", QT_TRANSLATE_NOOP(
        "Shortcuts", "Keep the reading and go across to the next characteristic"), Group.GRID),
    _s("grid.previous", "Shift+Tab", QT_TRANSLATE_NOOP(
        "Shortcuts", "Keep the reading and go back to the previous characteristic"), Group.GRID),
    _s("grid.edit", "F2", QT_TRANSLATE_NOOP("Shortcuts", "Change the reading of the cell"),
       Group.GRID),
    _s("grid.cancel", "Esc", QT_TRANSLATE_NOOP("Shortcuts", "Drop what was typed in the cell"),
       Group.GRID),
    _s("grid.clear", ("Del", "Backspace"), QT_TRANSLATE_NOOP(
        "Shortcuts", "Clear the reading of the cell"), Group.GRID),
)

_BY_ID = {s.action_id: s for s in SHORTCUTS}


def shortcut(action_id: str) -> Shortcut:
    return _BY_ID[action_id]


def bind_action(action: QAction, action_id: str) -> QAction:
    """Give an action the keys of its entry (and the keys in its tooltip)."""
    action.setShortcuts(shortcut(action_id).sequences())
    return action


def add_save_shortcut(dialog: QWidget, save_button: QAbstractButton) -> QAction:
    """Ctrl+S in a dialog presses its Save (or OK) button, when the button may be pressed."""
    action = bind_action(QAction(dialog, objectName="save_shortcut"), "dialog.save")

    def save() -> None:
        if save_button.isVisible() and save_button.isEnabled():
            save_button.click()

    action.triggered.connect(save)
    dialog.addAction(action)
    return action


def reveal(widget: QWidget) -> None:
    """Make the tabs that hold `widget` current, so it can be seen and take the focus."""
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QTabWidget):
            for i in range(parent.count()):
                page = parent.widget(i)
                if page is widget or page.isAncestorOf(widget):
                    parent.setCurrentIndex(i)
        parent = parent.parentWidget()


# Actions that press a button of a page: page id, then the attributes leading to the button.
PAGE_BUTTONS: dict[str, tuple[str, ...]] = {
    "part.new": ("parts", "new_button"),
    "parts.import": ("parts", "import_button"),
    "certificate.print": ("certification", "register", "print_button"),
    "sync.export": ("sync", "export_button"),
    "sync.import": ("sync", "import_button"),
}
WINDOW_GROUPS = (Group.PAGES, Group.ACTIONS)
STATUS_MS = 8000


class WindowShortcuts(QObject):
    """The main window's shortcuts: one action per entry of the pages and main actions
    (`bound` names the window's own actions, such as Lock and Quit, which get their keys here)."""

    def __init__(self, window: MainWindow, bound: dict[str, QAction]) -> None:
        super().__init__(window)
        self._window = window
        self.actions: dict[str, QAction] = {}
        self.dialog: QWidget | None = None
        for entry in SHORTCUTS:
            if entry.group not in WINDOW_GROUPS:
                continue
            if entry.action_id in bound:
                self.actions[entry.action_id] = bind_action(bound[entry.action_id],
                                                            entry.action_id)
                continue
            action = bind_action(QAction(window, objectName=f"shortcut_{entry.action_id}"),
                                 entry.action_id)
            action.triggered.connect(self._handler(entry.action_id))
            window.addAction(action)
            self.actions[entry.action_id] = action
        self.help_action = self.actions["help.shortcuts"]
        window.locked_changed.connect(self._on_window_locked_changed)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.help_action.setText(tr("Shortcuts", "&Keyboard shortcuts…"))

    def _handler(self, action_id: str) -> Callable[[], None]:
        if action_id.startswith("page.") and action_id != "page.reload":
            page_id = action_id.removeprefix("page.")
            return lambda: self._window.show_page(page_id) and None
        if action_id in PAGE_BUTTONS:
            return lambda: self.press(action_id)
        return {"find": self.find, "page.reload": self.reload,
                "help.shortcuts": self.show_help}[action_id]

    def _on_window_locked_changed(self, locked: bool) -> None:
        """Nothing behind the lock screen answers a key."""
        for action_id, action in self.actions.items():
            if action_id != "window.quit":
                action.setEnabled(not locked)

    # -- the actions -----------------------------------------------------------------------

    def press(self, action_id: str) -> None:
        """Show the page and press its button, or say in the status bar why it cannot be."""
        page_id, *path = PAGE_BUTTONS[action_id]
        if not self._window.show_page(page_id):
            return
        target: object = self._window.page(page_id)
        for name in path:
            target = getattr(target, name, None)
        if not isinstance(target, QAbstractButton):
            return
        reveal(target)
        if target.isVisibleTo(self._window) and target.isEnabled():
            target.click()
            return
        entry = shortcut(action_id)
        # A button the role does not allow says why in its tooltip (ui/widgets/permission.py);
        # otherwise it waits for a choice, such as the certificate to print.
        reason = target.toolTip() or tr(
            "Shortcuts", "“{action}”: choose what it applies to first.").format(action=entry.text())
        self._window.statusBar().showMessage(reason, STATUS_MS)
        owner = target.parentWidget()
        table = getattr(owner, "table", None) if owner is not None else None
        if isinstance(table, QWidget):  # e.g. Print: the register, to choose a certificate
            table.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def find(self) -> None:
        """Put the cursor in the search field of the page (the parts registry's when the page
        has none), its text selected so that a scan or a new word replaces it."""
        edit = getattr(self._window.stack.currentWidget(), "search_edit", None)
        if not isinstance(edit, QWidget):
            self._window.show_page("parts")
            edit = getattr(self._window.page("parts"), "search_edit", None)
        if isinstance(edit, QWidget):
            reveal(edit)
            edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
            select_all = getattr(edit, "selectAll", None)
            if select_all is not None:
                select_all()

    def reload(self) -> None:
        refresh = getattr(self._window.stack.currentWidget(), "refresh", None)
        if refresh is not None:
            refresh()

    def show_help(self) -> QWidget:
        from desktop_app.ui.dialogs.shortcuts_dialog import ShortcutsDialog

        if self.dialog is None:
            self.dialog = ShortcutsDialog(self._window)
        self.dialog.show()
        self.dialog.raise_()
        self.dialog.activateWindow()
        return self.dialog
