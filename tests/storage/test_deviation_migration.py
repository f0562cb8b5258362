"""Migration 0012 on the released demo data folder: the carmaker Massar enrolled with the
carmaker's default scope may now send its decisions on deviations; every row is kept."""

from __future__ import annotations

import json
import sqlite3

from desktop_app.services.context import open_context
from tests.storage.test_upgrade_from_released import FIXTURES, _counts, _unpack


def _scopes(database) -> dict[str, set[str]]:
    with sqlite3.connect(database) as conn:
        return {site: set(json.loads(types)) for site, types in conn.execute(
            "SELECT site_id, record_types FROM sync_peer_scopes")}


def test_a_stored_default_scope_gains_the_new_record_type_of_its_kind(tmp_path) -> None:
    folder, _ = _unpack(FIXTURES[0], tmp_path)
    before, rows = _scopes(folder.database), _counts(folder.database)
    [(site, types)] = before.items()
    assert "decision" in types and "deviation_decision" not in types
    open_context(folder).close()
    after = _scopes(folder.database)
    # (migration 0011 adds the regulatory rules to a carmaker's defaults at the same time)
    assert after[site] == types | {"deviation_decision", "retention_policy", "regulatory_rules"}
    counts = _counts(folder.database)
    # every table keeps its rows (Alembic's version table: one row per branch)
    assert ({k: v for k, v in counts.items() if k in rows and k != "alembic_version"}
            == {k: v for k, v in rows.items() if k != "alembic_version"})
    assert counts["deviations"] == counts["deviation_decisions"] == 0


def test_a_scope_narrowed_by_the_administrator_stays_narrow(tmp_path) -> None:
    folder, _ = _unpack(FIXTURES[0], tmp_path)
    with sqlite3.connect(folder.database) as conn:
        conn.execute("UPDATE sync_peer_scopes SET record_types = ?",
                     (json.dumps(["decision", "signature"]),))
    open_context(folder).close()
    assert list(_scopes(folder.database).values()) == [{"decision", "signature"}]
