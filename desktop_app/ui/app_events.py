"""The one change channel: after each operation the UI emits `data_changed` with what changed."""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import QObject, Signal


@dataclass(frozen=True, slots=True)
class Change:
    """What an operation changed: record types (e.g. "part") and, when known, record ids."""

    record_types: frozenset[str]
    record_ids: frozenset[str] = field(default_factory=frozenset)

    @classmethod
    def of(cls, *record_types: str, ids: tuple[str, ...] = ()) -> Change:
        return cls(frozenset(record_types), frozenset(ids))

    def touches(self, *record_types: str) -> bool:
        return "*" in self.record_types or bool(self.record_types & set(record_types))


EVERYTHING = Change.of("*")


class AppEvents(QObject):
    data_changed = Signal(object)  # Change
    language_changed = Signal(str)  # language code
    signed_out = Signal()

    def changed(self, *record_types: str, ids: tuple[str, ...] = ()) -> None:
        self.data_changed.emit(Change.of(*record_types, ids=ids))
