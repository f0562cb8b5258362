"""The plan of a parts import, kept on disk: one row per sheet row, with what applying writes.

A million-row sheet must not become a million Python objects: the preview writes its rows here (a
SQLite file in the data folder's `staging/`), the window's table reads them back a page at a time,
and applying reads the writes back a block at a time. The file goes when the plan is discarded or
garbage-collected; a leftover from a killed process is removed by a later plan.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
import weakref
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any, overload

from desktop_app.domain.errors import PartDeskError, ValidationError
from desktop_app.domain.revisions import uuid7

PREFIX = "parts-plan-"
STALE_AFTER = 12 * 3600  # seconds
_SCHEMA = """
CREATE TABLE plan (seq INTEGER PRIMARY KEY, number INTEGER, status TEXT, part_number TEXT,
    revision TEXT, message TEXT, changed TEXT, error TEXT, record_id TEXT, parent TEXT,
    fields TEXT);
CREATE INDEX plan_status ON plan(status, seq);
CREATE TABLE seen (key TEXT PRIMARY KEY, number INTEGER) WITHOUT ROWID;
"""


class RowStatus(StrEnum):
    NEW = "new"
    CHANGED = "changed"
    UNCHANGED = "unchanged"
    ERROR = "error"


@dataclass(frozen=True, slots=True)
class ImportRow:
    number: int  # row number in the sheet
    status: RowStatus
    part_number: str
    revision: str
    message: str = ""  # the reason of an error, untranslated sentence
    changed_fields: tuple[str, ...] = ()
    error: PartDeskError | None = field(default=None, compare=False)

    def to_json(self) -> dict[str, Any]:
        return {"row": self.number, "status": str(self.status), "part_number": self.part_number,
                "revision": self.revision, "message": self.message,
                "changed_fields": list(self.changed_fields)}


Write = tuple[str, str, dict[str, Any]]  # (record id or "" for a new part, parent, fields)


def _error_json(error: PartDeskError | None) -> str | None:
    if error is None:
        return None
    return json.dumps({"template": error.template, "field": getattr(error, "field", None),
                       "params": error.params}, ensure_ascii=False, default=str)


def _error(text: str | None) -> PartDeskError | None:
    if not text:
        return None
    data = json.loads(text)
    return ValidationError(data["template"], field=data["field"], **data["params"])


class PlanStore:
    """The rows of one plan in a SQLite file; safe to read from one thread while idle in another."""

    def __init__(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        stale = time.time() - STALE_AFTER
        for leftover in folder.glob(f"{PREFIX}*.sqlite3"):
            try:  # a plan left by a killed process (a recent one may be another window's)
                if leftover.stat().st_mtime < stale:
                    leftover.unlink()
            except OSError:
                pass
        self.path = folder / f"{PREFIX}{uuid7()}.sqlite3"
        self._conn = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        self._conn.execute("PRAGMA journal_mode = OFF")
        self._conn.execute("PRAGMA synchronous = OFF")
        self._conn.execute("PRAGMA cache_size = -8000")  # 8 MB, whatever the plan's size
        self._conn.executescript(_SCHEMA)
        self._lock = threading.Lock()
        self._finalizer = weakref.finalize(self, _remove, self._conn, self.path)
        self.size = 0

    def discard(self) -> None:
        self._finalizer()

    # -- writing, while the file is checked ---------------------------------------------------

    def duplicates(self, keys: Sequence[str]) -> dict[str, int]:
        """key -> row number, for the keys an earlier block already had."""
        found: dict[str, int] = {}
        with self._lock:
            for start in range(0, len(keys), 500):
                chunk = list(keys[start:start + 500])
                marks = ",".join("?" * len(chunk))
                found.update(self._conn.execute(
                    f"SELECT key, number FROM seen WHERE key IN ({marks})",  # noqa: S608
                    chunk).fetchall())
        return found

    def add(self, block: Sequence[tuple[ImportRow, Write | None]],
            keys: Sequence[tuple[str, int]], count: int | None = None) -> None:
        """Store a block of rows (`count` rows checked, when they are not kept)."""
        with self._lock:
            self._conn.execute("BEGIN")
            self._conn.executemany("INSERT OR IGNORE INTO seen VALUES (?, ?)", keys)
            self._conn.executemany(
                "INSERT INTO plan VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                [(self.size + i, row.number, str(row.status), row.part_number, row.revision,
                  row.message, json.dumps(row.changed_fields), _error_json(row.error),
                  write[0] if write else None, write[1] if write else None,
                  json.dumps(write[2], ensure_ascii=False) if write else None)
                 for i, (row, write) in enumerate(block)])
            self._conn.execute("COMMIT")
            self.size += len(block) if count is None else count

    # -- reading ------------------------------------------------------------------------------

    def rows(self, start: int, stop: int, status: RowStatus | None = None) -> list[ImportRow]:
        sql = ("SELECT number, status, part_number, revision, message, changed, error "
               "FROM plan WHERE seq >= ? AND seq < ?")
        params: list[Any] = [start, stop]
        if status is not None:
            sql = ("SELECT number, status, part_number, revision, message, changed, error "
                   "FROM plan WHERE status = ? ORDER BY seq LIMIT ? OFFSET ?")
            params = [str(status), stop - start, start]
        else:
            sql += " ORDER BY seq"
        with self._lock:
            found = self._conn.execute(sql, params).fetchall()
        return [ImportRow(number, RowStatus(state), part_number, revision, message,
                          tuple(json.loads(changed)), _error(error))
                for number, state, part_number, revision, message, changed, error in found]

    def writes(self, block: int) -> Iterator[list[Write]]:
        """What applying writes, in sheet order, `block` at a time."""
        last = -1
        while True:
            with self._lock:
                found = self._conn.execute(
                    "SELECT seq, record_id, parent, fields FROM plan WHERE seq > ? AND "
                    "fields IS NOT NULL ORDER BY seq LIMIT ?", (last, block)).fetchall()
            if not found:
                return
            last = found[-1][0]
            yield [(record_id, parent, json.loads(fields))
                   for _seq, record_id, parent, fields in found]


def _remove(conn: sqlite3.Connection, path: Path) -> None:
    conn.close()
    path.unlink(missing_ok=True)


class PlanRows(Sequence[ImportRow]):
    """The plan's rows (or those of one status) as a sequence, read a page at a time."""

    PAGE = 500

    def __init__(self, store: PlanStore | None, length: int,
                 status: RowStatus | None = None) -> None:
        self._store = store
        self._length = length
        self._status = status
        self._page: tuple[int, list[ImportRow]] = (-1, [])

    def __len__(self) -> int:
        return self._length

    @overload
    def __getitem__(self, index: int) -> ImportRow: ...

    @overload
    def __getitem__(self, index: slice) -> list[ImportRow]: ...

    def __getitem__(self, index: int | slice) -> ImportRow | list[ImportRow]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(self._length))]
        if index < 0:
            index += self._length
        if not 0 <= index < self._length or self._store is None:
            raise IndexError(index)
        page, rows = self._page
        if page != index // self.PAGE:
            page = index // self.PAGE
            rows = self._store.rows(page * self.PAGE, (page + 1) * self.PAGE, self._status)
            self._page = (page, rows)
        return rows[index - page * self.PAGE]

    def __iter__(self) -> Iterator[ImportRow]:
        for start in range(0, self._length, self.PAGE):
            if self._store is None:
                return
            yield from self._store.rows(start, min(start + self.PAGE, self._length),
                                        self._status)
