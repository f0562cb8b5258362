"""Migration 0016 (evidence branch) on the released demo data folder: the table of MSA studies
appears empty, every row is kept, and a peer enrolled with a supplier's default scope may now
send the studies of its gauges; a scope an administrator narrowed stays narrow."""

from __future__ import annotations

import json
import sqlite3

from alembic.script import ScriptDirectory

from desktop_app.domain.trust import SUPPLIER_SCOPE
from desktop_app.paths import migrations_dir
from desktop_app.services.context import open_context
from desktop_app.storage import migrations
from tests.storage.test_upgrade_from_released import FIXTURES, _counts, _unpack

# What a supplier's default scope was before this migration (domain/trust.py at 0013).
SUPPLIER_BEFORE = SUPPLIER_SCOPE - {"msa_study"}


def _scopes(database) -> dict[str, set[str]]:
    with sqlite3.connect(database) as conn:
        return {site: set(json.loads(types)) for site, types in conn.execute(
            "SELECT site_id, record_types FROM sync_peer_scopes")}


def _set_scope(database, types: set[str]) -> None:
    with sqlite3.connect(database) as conn:
        conn.execute("UPDATE sync_peer_scopes SET record_types = ?", (json.dumps(sorted(types)),))


def test_0016_follows_0013_on_the_evidence_branch_and_is_its_head():
    script = ScriptDirectory(str(migrations_dir()))
    assert script.get_revision("0016_evidence_msa").down_revision == "0013_evidence_documents"
    assert "0016_evidence_msa" in migrations.script_heads(migrations_dir())
    assert "0013_evidence_documents" not in migrations.script_heads(migrations_dir())
    assert migrations.declared_heads(migrations_dir()) == migrations.script_heads(migrations_dir())


def test_a_supplier_enrolled_with_its_default_scope_may_send_msa_studies(tmp_path):
    folder, _ = _unpack(FIXTURES[0], tmp_path)
    _set_scope(folder.database, SUPPLIER_BEFORE)
    rows = _counts(folder.database)
    assert "msa_studies" not in rows
    open_context(folder).close()
    [after] = _scopes(folder.database).values()
    assert after == SUPPLIER_BEFORE | {"msa_study"} == set(SUPPLIER_SCOPE)
    counts = _counts(folder.database)
    assert {k: v for k, v in counts.items() if k in rows and k != "alembic_version"} == {
        k: v for k, v in rows.items() if k != "alembic_version"}
    assert counts["msa_studies"] == 0


def test_a_carmakers_scope_and_a_narrowed_one_are_left_alone(tmp_path):
    folder, _ = _unpack(FIXTURES[0], tmp_path)
    [carmaker] = _scopes(folder.database).values()
    open_context(folder).close()
    assert "msa_study" not in next(iter(_scopes(folder.database).values()))
    assert carmaker <= next(iter(_scopes(folder.database).values()))

    folder, _ = _unpack(FIXTURES[0], tmp_path / "narrow")
    _set_scope(folder.database, {"part", "characteristic", "gauge"})
    open_context(folder).close()
    assert list(_scopes(folder.database).values()) == [{"part", "characteristic", "gauge"}]
