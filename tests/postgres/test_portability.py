"""The same storage code on PostgreSQL: migrations, the revision store, people, the services."""

from __future__ import annotations

import itertools
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop_app.domain.people import Role, SiteKind
from desktop_app.paths import DataFolder
from desktop_app.services.context import open_context
from desktop_app.services.integrity import IntegrityService
from desktop_app.services.people import PeopleService
from desktop_app.services.site import SiteService
from desktop_app.storage.audit import AuditLog
from desktop_app.storage.database import open_database
from desktop_app.storage.models import Base
from desktop_app.storage.models.parts import SERVER_ONLY_INDEXES
from desktop_app.storage.revisions import RevisionStore
from tests.conftest import PASSWORD
from tests.storage.replicas import Replica, reference_state
from tests.storage.test_revision_store_properties import simulate, step

_count = itertools.count()


def _not_server_only(obj, name, type_, reflected, compare_to) -> bool:
    return not (type_ == "index" and name in SERVER_ONLY_INDEXES)


def test_migrations_reach_the_models_on_postgresql(pg_url: str, tmp_path: Path) -> None:
    ctx = open_context(DataFolder(tmp_path), database_url=pg_url)
    try:
        with ctx.db.engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(
                conn, opts={"include_object": _not_server_only}), Base.metadata)
            trigram = conn.exec_driver_sql(
                "SELECT indexdef FROM pg_indexes WHERE indexname = 'ix_parts_search_trgm'").scalar()
        assert diff == []
        assert trigram is not None and "gin_trgm_ops" in trigram
    finally:
        ctx.close()


def test_a_site_and_its_people_work_on_postgresql(pg_url: str, tmp_path: Path) -> None:
    ctx = open_context(DataFolder(tmp_path), database_url=pg_url)
    try:
        SiteService(ctx).initialise("PG", "Server plant", SiteKind.PLANT, "admin", "Ada", PASSWORD)
        people = PeopleService(ctx)
        admin = people.sign_in("admin", PASSWORD)
        people.add_person(admin, "eng", "Eng Person", Role.ENGINEER, PASSWORD)
        assert people.sign_in("eng", PASSWORD).role is Role.ENGINEER
        assert IntegrityService(ctx).verify() == []
    finally:
        ctx.close()


class PgReplica(Replica):
    def __init__(self, url: str) -> None:
        self.db = open_database(url)
        Base.metadata.create_all(self.db.engine)

    def apply(self, revisions) -> None:
        with self.db.session() as session:
            RevisionStore(session, "replica", AuditLog(session)).apply_many(revisions, "sync")


@settings(max_examples=10)
@given(steps=st.lists(step, min_size=1, max_size=15), data=st.data())
def test_revisions_converge_on_postgresql(pg_url: str, steps, data) -> None:
    revisions = simulate(steps)
    replica = PgReplica(pg_url)
    try:
        replica.apply(list(data.draw(st.permutations(revisions))))
        replica.apply(revisions)
        assert replica.state() == reference_state(revisions)
    finally:
        with replica.db.engine.begin() as conn:
            Base.metadata.drop_all(conn)
        replica.close()


def test_part_search_on_postgresql_is_answered_by_the_trigram_index(pg_url: str,
                                                                   tmp_path: Path) -> None:
    from sqlalchemy import select

    from desktop_app.services.parts import PartService
    from desktop_app.services.parts_dto import PartQuery
    from desktop_app.storage.models.parts import Part
    from desktop_app.storage.search import like_prefix

    ctx = open_context(DataFolder(tmp_path), database_url=pg_url)
    try:
        SiteService(ctx).initialise("PG", "Server plant", SiteKind.PLANT, "admin", "Ada", PASSWORD)
        admin = PeopleService(ctx).sign_in("admin", PASSWORD)
        PeopleService(ctx).add_person(admin, "eng", "Eng Person", Role.ENGINEER, PASSWORD)
        eng = PeopleService(ctx).sign_in("eng", PASSWORD)
        parts = PartService(ctx)
        from desktop_app.domain.parts import PartDraft

        for number in ("JX3-0001", "JX3-0002", "JD1-0003"):
            parts.register_part(eng, PartDraft(part_number=number, revision="A",
                                               designation="Traverse avant", family="other"))
        page = parts.page(PartQuery(search="jx3"), 0, 10)
        assert [r.part_number for r in page.rows] == ["JX3-0001", "JX3-0002"]
        query = select(Part.id).where(like_prefix(Part.search_text, "jx3"))
        sql = str(query.compile(ctx.db.engine, compile_kwargs={"literal_binds": True}))
        with ctx.db.engine.connect() as conn:
            conn.exec_driver_sql("SET enable_seqscan = off")  # a tiny table: show it can
            plan = "\n".join(r[0] for r in conn.exec_driver_sql("EXPLAIN " + sql))
        assert "ix_parts_search_trgm" in plan, plan
    finally:
        ctx.close()
