"""Migration 0011 on the released demo data folder: every row is kept, the statuses its steps had
typed by hand are no longer shown in place of the computed ones, and a carmaker enrolled with the
default scope may now send the regulatory rules of its models."""

from __future__ import annotations

import json
import sqlite3

from desktop_app.demo.people import DEMO_PASSWORDS
from desktop_app.services.context import open_context
from desktop_app.services.people import PeopleService
from desktop_app.services.roadmap import RoadmapService
from tests.storage.test_upgrade_from_released import FIXTURES, _counts, _unpack


def test_released_steps_keep_their_rows_and_show_the_computed_status(tmp_path) -> None:
    folder, manifest = _unpack(FIXTURES[0], tmp_path)
    rows = _counts(folder.database)
    with sqlite3.connect(folder.database) as conn:
        typed = dict(conn.execute("SELECT code, status FROM roadmap_steps"))
        [(site, stored)] = conn.execute("SELECT site_id, record_types FROM sync_peer_scopes")
    assert "achieved" in typed.values()
    ctx = open_context(folder)
    try:
        counts = _counts(folder.database)
        # every table keeps its rows (Alembic's version table: one row per branch)
        assert ({k: v for k, v in counts.items() if k in rows and k != "alembic_version"}
                == {k: v for k, v in rows.items() if k != "alembic_version"})
        assert counts["regulatory_rules"] == counts["deliveries"] == 0
        with sqlite3.connect(folder.database) as conn:
            assert dict(conn.execute("SELECT code, status FROM roadmap_steps")) == typed
            assert {r for (r,) in conn.execute("SELECT status_reason FROM roadmap_steps")} == {""}
            [(scope,)] = conn.execute("SELECT record_types FROM sync_peer_scopes")
        assert set(json.loads(scope)) - set(json.loads(stored)) >= {"regulatory_rules"}
        assert "delivery" not in json.loads(scope)  # a carmaker ships no parts
        password = manifest.get("password") or DEMO_PASSWORDS["k.benali"]
        actor = PeopleService(ctx).sign_in("k.benali", password)
        steps = RoadmapService(ctx).list_steps(actor)
        assert len(steps) == len(typed)
        assert all(s.manual_status is None and s.status is s.computed_status for s in steps)
    finally:
        ctx.close()
