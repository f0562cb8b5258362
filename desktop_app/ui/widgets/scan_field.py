"""Search fields that take a barcode scanner's code.

A scanner types like a keyboard: the code within a few milliseconds, then Enter (some are set to
end with Tab). `ScanField` watches a QLineEdit: on Enter, or on a Tab that ends such a burst, the
code is looked up off the GUI thread; when it names one thing exactly (a part number, a gauge, a
submission or certificate number) `on_found` opens or selects it, otherwise `on_search` searches
for it. The key never reaches the dialog, so a scan cannot press its OK button. A code scanned
into a field that still held an older one replaces it, and after each code the text is selected,
so that the next scan replaces it too.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QComboBox, QLineEdit

from desktop_app.domain.errors import NotFound
from desktop_app.ui.shortcuts import shortcut
from desktop_app.ui.tasks import TaskRunner

if TYPE_CHECKING:
    from desktop_app.services.parts import PartService
    from desktop_app.services.parts_dto import PartDetail
    from desktop_app.ui.pages.base import UiSession

# Keys closer together than this come from a scanner (or a gauge), not from fingers; a code is
# at least this long. Only a Tab that ends such a burst is taken as the end of a code.
SCAN_GAP_S = 0.05
MIN_CODE_LENGTH = 4


def _found_or_none(lookup: Callable[[str], Any], code: str) -> Any:
    try:
        return lookup(code)
    except NotFound:
        return None


def scanned_part(parts: PartService, code: str) -> PartDetail:
    """The part a label names: "JT-5801" (its latest revision), or "JT-5801 B" / "JT-5801/B"."""
    try:
        return parts.find(code)
    except NotFound:
        for separator in (" ", "/"):
            number, _, revision = code.rpartition(separator)
            if number.strip() and revision.strip():
                try:
                    return parts.find(number.strip(), revision.strip())
                except NotFound:
                    continue
        raise


class ScanField(QObject):
    """`looked_up(code, found)` after each code, once `on_found` or `on_search` has run."""

    looked_up = Signal(str, bool)

    def __init__(self, edit: QLineEdit, tasks: TaskRunner, lookup: Callable[[str], Any],
                 on_found: Callable[[Any], None], on_search: Callable[[str], None]) -> None:
        super().__init__(edit)
        self.setObjectName(f"{edit.objectName()}_scan")
        self._edit = edit
        self._tasks = tasks
        self._lookup = lookup
        self._on_found = on_found
        self._on_search = on_search
        self._burst = ""  # the characters typed at scanner speed, up to the last key
        self._last_key = 0.0
        edit.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if watched is not self._edit or event.type() != QEvent.Type.KeyPress:
            return False
        assert isinstance(event, QKeyEvent)
        now = time.monotonic()
        fast = now - self._last_key <= SCAN_GAP_S
        if shortcut("search.open").matches(event):
            self._end_of_code(fast)
            return True
        if (event.key() == Qt.Key.Key_Tab and fast and len(self._burst) >= MIN_CODE_LENGTH
                and event.modifiers() == Qt.KeyboardModifier.NoModifier):
            self._end_of_code(fast)  # a scanner set to end its codes with Tab
            return True
        text = event.text()
        if text and text.isprintable():
            self._burst = (self._burst if fast else "") + text
            self._last_key = now
        else:
            self._burst = ""
        return False

    def _end_of_code(self, fast: bool) -> None:
        code = self._burst
        self._burst, self._last_key = "", 0.0
        if fast and len(code) >= MIN_CODE_LENGTH and self._edit.text().strip() != code.strip():
            self._edit.setText(code)  # scanned into the end (or middle) of an older code
        self.submit()

    def submit(self) -> None:
        """Look the field's text up; open the exact match, or search."""
        code = self._edit.text().strip()
        if not code:
            self._on_search(code)
            self.looked_up.emit(code, False)
            return
        lookup = self._lookup
        self._tasks.submit(lambda: (code, _found_or_none(lookup, code)),
                           on_done=self._on_looked_up)

    def _on_looked_up(self, result: tuple[str, Any]) -> None:
        code, found = result
        if self._edit.text().strip() != code:
            return  # the person typed on meanwhile: that text is searched as usual
        if found is None:
            self._on_search(code)
        else:
            self._on_found(found)
        self._edit.selectAll()  # the next scan replaces this code
        self.looked_up.emit(code, found is not None)


class PartPicker(QObject):
    """A part search above a combo of part revisions (new submission, deviation, end of
    production): a scanned part number chooses that part in the combo once `search()` has
    refilled it."""

    def __init__(self, edit: QLineEdit, combo: QComboBox, session: UiSession,
                 search: Callable[[], None]) -> None:
        super().__init__(edit)
        from desktop_app.services.parts import PartService

        parts = PartService(session.ctx)
        self._edit = edit
        self._combo = combo
        self._search = search
        self.wanted = ""  # the part id scanned, chosen when the combo lists it
        self.scan = ScanField(edit, session.tasks, lambda code: scanned_part(parts, code),
                              self._on_part_scanned, lambda _code: search())
        edit.textEdited.connect(self._on_edit_text_edited)
        combo.model().rowsInserted.connect(self._choose)

    def _on_edit_text_edited(self, _text: str) -> None:
        self.wanted = ""

    def _on_part_scanned(self, part: PartDetail) -> None:
        self.wanted = part.part_id
        number = part.draft.part_number
        if self._edit.text().strip() != number:  # "JT-7100 A": the list shows every revision
            self._edit.setText(number)
        self._choose()
        self._search()

    def _choose(self, *_args: object) -> None:
        index = self._combo.findData(self.wanted) if self.wanted else -1
        if index >= 0:
            self._combo.setCurrentIndex(index)
