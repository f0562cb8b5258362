"""Properties of the real export/import code (hypothesis): any import order gives the same
state, importing twice equals once, a random three-site exchange converges, and concurrent
edits are flagged at every site until a merge clears them everywhere."""

from __future__ import annotations

import itertools
import random
import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop_app.domain.errors import NotOwner
from desktop_app.paths import DataFolder
from desktop_app.services.conflicts import ConflictService
from desktop_app.services.context import open_context
from desktop_app.services.people import PeopleService
from tests.conftest import PASSWORD
from tests.sync.sites import SiteUnderTest, enrol, make_sites

pytestmark = pytest.mark.slow

# Text a person can store (a NUL or a lone surrogate is refused at the first write).
texts = st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\x00"),
                max_size=12)

# A step: (writer index, action, record pick, value); action 0 create, 1 update, 2 export
steps = st.lists(st.tuples(st.integers(0, 1), st.integers(0, 2), st.integers(0, 50),
                           texts), min_size=1, max_size=12)


def _live_ids(site: SiteUnderTest) -> list[str]:
    return sorted(k for k, (t, _, heads, deleted) in site.records().items()
                  if t == "supplier" and heads == 1 and not deleted)


def _run(writers: list[SiteUnderTest], script, outbox: Path, to: str | None) -> list[Path]:
    packages = []
    for who, action, pick, value in script:
        site = writers[who]
        ids = _live_ids(site)
        if action == 0 or not ids:
            site.create({"title": value, "n": pick})
        elif action == 1:
            site.update(ids[pick % len(ids)], {"title": value})
        else:
            packages.append(site.export(outbox, to=to, full=pick % 2 == 0))
    for site in writers:
        packages.append(site.export(outbox, to=to))
    return packages


def _copy_site(template: SiteUnderTest, root: Path) -> SiteUnderTest:
    template.ctx.db.dispose()
    shutil.copytree(template.ctx.folder.root, root)
    ctx = open_context(DataFolder(root))
    people = PeopleService(ctx)
    return SiteUnderTest(template.code, ctx, people.sign_in("admin", PASSWORD),
                         people.sign_in("eng", PASSWORD))


@settings(max_examples=12)
@given(script=steps, seed=st.integers(0, 2**32))
def test_any_import_order_gives_the_same_state_and_twice_equals_once(tmp_path_factory, script,
                                                                     seed):
    root = tmp_path_factory.mktemp("order")
    a, b, r = make_sites(root / "sites", "AAA", "BBB", "RRR")
    try:
        packages = _run([a, b], script, root, to="RRR")
        order = packages[:]
        random.Random(seed).shuffle(order)
        first, second = _copy_site(r, root / "r1"), _copy_site(r, root / "r2")
        for p in packages:
            first.sync.import_package(first.engineer, p)
        for p in order:
            second.sync.import_package(second.engineer, p)
        assert first.state() == second.state()
        assert first.records() == second.records()
        once = first.state()
        for p in order:
            assert first.sync.import_package(first.engineer, p).preview.already_imported
        assert first.state() == once
        # The same content under a new package id is harmless too.
        again = a.export(root, full=True)
        first.sync.import_package(first.engineer, again)
        first.sync.import_package(first.engineer, again)
        both = a.state()
        assert {k: v for k, v in first.state().items() if k in both} == both
        for s in (first, second):
            s.ctx.close()
    finally:
        for s in (a, b, r):
            s.ctx.close()


@settings(max_examples=10)
@given(script=st.lists(st.tuples(st.integers(0, 2), st.integers(0, 3), st.integers(0, 50),
                                 texts), min_size=1, max_size=16),
       seed=st.integers(0, 2**32), drop=st.booleans())
def test_random_three_site_exchange_converges(tmp_path_factory, script, seed, drop):
    root = tmp_path_factory.mktemp("three")
    sites = make_sites(root / "sites", "AAA", "BBB", "CCC")
    rng = random.Random(seed)
    try:
        queue: list[tuple[SiteUnderTest, Path]] = []
        for who, action, pick, value in script:
            site = sites[who]
            ids = _live_ids(site)
            if action == 0 or not ids:
                site.create({"title": value})
            elif action == 1:
                site.edit(ids[pick % len(ids)], {"title": value, "by": site.code})
            elif action == 2:
                target = sites[(who + 1 + pick % 2) % 3]
                queue.append((target, site.export(root, to=target.code)))
            elif queue:
                target, package = queue.pop(rng.randrange(len(queue)))
                if not (drop and pick % 3 == 0):  # a stick lost in the post
                    target.sync.import_package(target.engineer, package)
        rng.shuffle(queue)
        for target, package in queue:
            target.sync.import_package(target.engineer, package)
        # Each site in turn sends what the others have not seen; a lost package needs --full.
        for sender, receiver in itertools.permutations(sites, 2):
            package = sender.export(root, to=receiver.code, full=drop)
            receiver.sync.import_package(receiver.engineer, package)
        for sender, receiver in itertools.permutations(sites, 2):
            package = sender.export(root, to=receiver.code, full=drop)
            receiver.sync.import_package(receiver.engineer, package)
        assert sites[0].state() == sites[1].state() == sites[2].state()
        assert sites[0].records() == sites[1].records() == sites[2].records()
    finally:
        for s in sites:
            s.ctx.close()


def test_concurrent_edits_are_flagged_everywhere_and_a_merge_clears_them(tmp_path):
    a, b, c = make_sites(tmp_path / "sites", "AAA", "BBB", "CCC")

    def exchange() -> None:
        for sender, receiver in itertools.permutations((a, b, c), 2):
            receiver.sync.import_package(receiver.engineer,
                                         sender.export(tmp_path, to=receiver.code))

    record = a.create({"title": "bracket", "thickness_mm": "2.0"})
    exchange()
    a.update(record, {"thickness_mm": "2.5"})
    b.propose(record, {"thickness_mm": "2.4", "title": "bracket RH"})  # not b's record
    exchange()
    for site in (a, b, c):
        assert site.conflicts() == {record}
        (found,) = ConflictService(site.ctx).list_conflicts()
        assert found.record_id == record and {h.site_code for h in found.heads} == {"AAA", "BBB"}
    view = ConflictService(c.ctx).compare(record)
    differing = {f.name: f.values for f in view.fields if f.differs}
    assert set(differing) == {"notes", "name"}
    b_head = next(h.rev_id for h in view.summary.heads if h.site_code == "BBB")
    a_head = next(h.rev_id for h in view.summary.heads if h.site_code == "AAA")
    with pytest.raises(NotOwner):  # the owner, AAA, settles it
        ConflictService(c.ctx).merge(c.engineer, record, take=a_head, reason="drawing rev C",
                                     choices={"name": b_head[:12]})
    ConflictService(a.ctx).merge(a.engineer, record, take=a_head, reason="drawing rev C",
                                 choices={"name": b_head[:12]})
    assert a.conflicts() == set()
    exchange()
    for site in (a, b, c):
        assert site.conflicts() == set()
        with site.ctx.unit_of_work() as uow:
            fields = uow.records.require(record).fields
        assert fields == {"name": "bracket RH", "notes": "thickness_mm=2.5"}
    assert a.state() == b.state() == c.state()
    for s in (a, b, c):
        s.ctx.close()


def test_enrolment_is_needed_both_ways(tmp_path):
    from desktop_app.sync.errors import UnknownSigner

    a, b = make_sites(tmp_path / "s", "AAA", "BBB")
    c = make_sites(tmp_path / "t", "CCC")[0]
    enrol(c, a, tmp_path)
    c.sync.import_package(c.engineer, a.export(tmp_path))
    with pytest.raises(UnknownSigner):
        c.sync.import_package(c.engineer, b.export(tmp_path))
    for s in (a, b, c):
        s.ctx.close()
