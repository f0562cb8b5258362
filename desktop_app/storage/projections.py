"""Query tables materialised from record heads, in the same transaction as the revisions.

A projection is a pure function of one record's state: it reads the record's own fields only
(never other records), so that revisions applied in any order give the same tables. Joins between
records belong in queries, not in projections.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Protocol

from sqlalchemy import delete
from sqlalchemy.orm import Session

from desktop_app.domain.revisions import RecordState
from desktop_app.storage.database import upsert


class Projection(Protocol):
    record_type: str

    def apply(self, session: Session, states: Sequence[RecordState]) -> None: ...


class RowProjection:
    """The common case: one row per live record in one table, keyed by `id`; tombstones delete it.

    `to_row(state)` returns the column values (without `id`); `conflict` is filled in when the
    table has such a column.
    """

    def __init__(
        self,
        record_type: str,
        model: Any,
        to_row: Callable[[RecordState], dict[str, Any]],
        after: Callable[[Session, Sequence[RecordState]], None] | None = None,
    ) -> None:
        self.record_type = record_type
        self.model = model
        self.table = model.__table__
        self._to_row = to_row
        self._after = after
        self._has_conflict = "conflict" in self.table.c

    def apply(self, session: Session, states: Sequence[RecordState]) -> None:
        gone = [s.record_id for s in states if s.deleted]
        live = [s for s in states if not s.deleted]
        for start in range(0, len(gone), 500):
            session.execute(
                delete(self.table).where(self.table.c.id.in_(gone[start : start + 500]))
            )
        rows = []
        for state in live:
            row = {"id": state.record_id, **self._to_row(state)}
            if self._has_conflict:
                row["conflict"] = state.conflict
            rows.append(row)
        # executemany needs every row to carry the same keys.
        for start in range(0, len(rows), 1000):
            upsert(session, self.table, rows[start : start + 1000], ["id"])
        if self._after is not None:
            self._after(session, states)


_REGISTRY: dict[str, Projection] = {}


def register(projection: Projection) -> Projection:
    _REGISTRY[projection.record_type] = projection
    return projection


def projection_for(record_type: str) -> Projection | None:
    return _REGISTRY.get(record_type)


def registered_types() -> list[str]:
    return sorted(_REGISTRY)
