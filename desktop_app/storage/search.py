"""Search-as-you-type: SQLite FTS5 behind a small interface, with a LIKE fallback elsewhere.

An index is one FTS5 table `fts_<name>` (created by the area's migration on SQLite) holding one
document per record: the record id (unindexed) and its normalised text. Its rowid is derived from
the record id, so a projection replaces or removes a document without reading anything first, in
the same transaction as the revisions. On another database (PostgreSQL) the index does nothing and
`condition()` falls back to LIKE over the query table's own `search_text` column.

Queries match every typed word as a prefix: "trav av" finds "Traverse avant".
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import ColumnElement, and_, delete, func, insert, literal_column, or_, select, text
from sqlalchemy import Table as SaTable
from sqlalchemy.orm import Session

_PUNCT = re.compile(r"[\W_]+", re.UNICODE)
# Every combining mark of the Basic Multilingual Plane (accents, Arabic hamza and vowel marks).
_NO_MARKS = {cp: None for cp in range(0x300, 0x10000) if unicodedata.combining(chr(cp))}
CHUNK = 500


def normalise_text(*parts: str) -> str:
    """Lower case, no accents, words separated by single spaces (what the index stores)."""
    joined = " ".join(p for p in parts if p)
    if not joined.isascii():
        joined = unicodedata.normalize("NFKD", joined).translate(_NO_MARKS)
    return " ".join(_PUNCT.sub(" ", joined.casefold()).split())


def query_tokens(query: str) -> list[str]:
    return normalise_text(query).split()[:8]


def compact(text_value: str) -> str:
    """ "JT-5801-A" -> "jt5801a": a part number typed without its punctuation still matches."""
    return normalise_text(text_value).replace(" ", "")


def doc_rowid(record_id: str) -> int:
    """A stable 60-bit rowid for a record's document (no lookup needed to replace it)."""
    return int(hashlib.sha1(record_id.encode("utf-8")).hexdigest()[:15], 16)  # noqa: S324


class SearchIndex:
    """The search index of one query table whose `search_text` column holds each document."""

    def __init__(self, name: str, source: Any) -> None:
        self.name = name
        self.table = f"fts_{name}"
        self._source = source

    def create_sql(self) -> str:
        return (f"CREATE VIRTUAL TABLE IF NOT EXISTS {self.table} USING fts5("
                "record_id UNINDEXED, body, tokenize = 'unicode61 remove_diacritics 2', "
                "prefix = '1 2 3')")

    @staticmethod
    def _sqlite(session: Session) -> bool:
        return session.get_bind().dialect.name == "sqlite"

    def ensure(self, session: Session) -> None:
        """Make the index on first use, filled from the query table (a no-op when it exists)."""
        if not self._sqlite(session):
            return
        found = session.execute(text("SELECT 1 FROM sqlite_master WHERE name = :n"),
                                {"n": self.table}).first()
        if found is None:
            session.execute(text(self.create_sql()))
            self.rebuild(session)

    def update(self, session: Session, docs: Mapping[str, str],
               removed: Iterable[str] = ()) -> None:
        """Replace the documents of `docs` (record id -> text) and drop those of `removed`."""
        if not self._sqlite(session):
            return
        self.ensure(session)
        self._write(session, docs, removed)

    def _write(self, session: Session, docs: Mapping[str, str], removed: Iterable[str]) -> None:
        ids = list(docs) + [r for r in removed if r not in docs]
        fts = _fts_table(self.table)
        for start in range(0, len(ids), CHUNK):
            # Deleting a document FTS5 does not hold still costs a lookup of its words: find
            # the documents that exist first (a rowid lookup), and delete only those.
            keys = [doc_rowid(i) for i in ids[start:start + CHUNK]]
            present = list(session.execute(select(fts.c.rowid).where(
                fts.c.rowid.in_(keys))).scalars())
            if present:
                session.execute(delete(fts).where(fts.c.rowid.in_(present)))
        # In ascending rowid order: FTS5 flushes its pending terms to a new segment whenever a
        # rowid is not above the previous one, so unsorted inserts cost a segment per document.
        rows = [{"rowid": rowid, "record_id": i, "body": body}
                for rowid, i, body in sorted((doc_rowid(i), i, b) for i, b in docs.items())]
        for start in range(0, len(rows), 2000):
            session.execute(insert(fts), rows[start:start + 2000])

    def rebuild(self, session: Session) -> None:
        """Fill the index again from the query table's `search_text` column."""
        if not self._sqlite(session):
            return
        session.execute(text(f"DELETE FROM {self.table}"))  # noqa: S608 - fixed table name
        source = self._source
        batch: dict[str, str] = {}
        for record_id, body in session.execute(select(source.c.id, source.c.search_text)):
            batch[record_id] = body
            if len(batch) >= 2000:
                self._write(session, batch, ())
                batch = {}
        self._write(session, batch, ())

    @staticmethod
    def expression(tokens: Sequence[str]) -> str:
        """An FTS5 query: every token as a prefix ("trav"* AND "av"*). Tokens are normalised
        words (letters and digits only), so quoting them is enough."""
        return " AND ".join(f'"{t}"*' for t in tokens)

    def match(self, session: Session, key_column: Any, search_column: Any,
              tokens: Sequence[str], many: bool = False, check: bool = True
              ) -> ColumnElement[bool]:
        """Rows whose document holds every token as a word prefix.

        `key_column` holds `doc_rowid(record id)` (indexed), so matches need no lookup of the
        index's own content. `many=True` (most rows match) keeps SQLite from driving the query
        by the match list, so that an ORDER BY index with LIMIT stops early instead.
        `check=False` when `ensure()` or `count()` already ran in this session."""
        if not self._sqlite(session):
            return and_(*(like_prefix(search_column, t) for t in tokens))
        if check:
            self.ensure(session)
        fts = _fts_table(self.table)
        matching = select(fts.c.rowid).where(
            literal_column(self.table).op("MATCH")(self.expression(tokens)))
        column = key_column + 0 if many else key_column
        return column.in_(matching)

    def count(self, session: Session, tokens: Sequence[str]) -> int | None:
        """How many documents match (None when the database has no FTS index)."""
        if not self._sqlite(session) or not tokens:
            return None
        self.ensure(session)
        fts = _fts_table(self.table)
        return int(session.execute(select(func.count()).select_from(fts).where(
            literal_column(self.table).op("MATCH")(self.expression(tokens)))).scalar_one())


    def sample(self, session: Session, tokens: Sequence[str], size: int) -> list[int]:
        """Up to `size` matching rowids. Rowids are hashes of record ids, so the first ones in
        rowid order are a random sample of the matches (FTS5 stops reading there)."""
        if not self._sqlite(session) or not tokens:
            return []
        fts = _fts_table(self.table)
        return list(session.execute(select(fts.c.rowid).where(
            literal_column(self.table).op("MATCH")(self.expression(tokens))).limit(size))
            .scalars())


def like_prefix(column: Any, token: str) -> ColumnElement[bool]:
    """Word-prefix match on a normalised text column (small tables, any database)."""
    return or_(column.like(f"{token}%"), column.like(f"% {token}%"))


_TABLES: dict[str, SaTable] = {}


def _fts_table(name: str) -> SaTable:
    """A lightweight table object for SQL generation (not part of the ORM metadata)."""
    from sqlalchemy import Column, Integer, MetaData, Text

    if name not in _TABLES:
        _TABLES[name] = SaTable(
            name,
            MetaData(),
            Column("rowid", Integer, primary_key=True),
            Column("record_id", Text),
            Column("body", Text),
        )
    return _TABLES[name]
