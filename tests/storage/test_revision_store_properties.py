"""The revision store converges: any order, any batching, twice or once, gives the same state."""

from __future__ import annotations

import itertools
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from desktop_app.domain.revisions import Revision
from tests.storage.replicas import RECORDS, SITES, Replica, SimSite, reference_state

step = st.one_of(
    st.tuples(
        st.just("edit"),
        st.sampled_from(SITES),
        st.sampled_from(RECORDS),
        st.text(alphabet="abcxyz", min_size=1, max_size=4),
    ),
    st.tuples(st.just("delete"), st.sampled_from(SITES), st.sampled_from(RECORDS), st.just("")),
    st.tuples(st.just("merge"), st.sampled_from(SITES), st.sampled_from(RECORDS), st.just("m")),
    st.tuples(st.just("sync"), st.sampled_from(SITES), st.sampled_from(SITES), st.just("")),
)

_counter = itertools.count()


def simulate(steps: list[tuple[str, str, str, str]]) -> list[Revision]:
    sites = {s: SimSite(s) for s in SITES}
    made: list[Revision] = []
    for kind, site, target, value in steps:
        if kind == "sync":
            sites[site].receive(sites[target])
            continue
        revision = sites[site].write(
            target, value, tombstone=kind == "delete", merge=kind == "merge"
        )
        if revision is not None:
            made.append(revision)
    return made


def new_replica(tmp_path: Path) -> Replica:
    return Replica(tmp_path / f"replica-{next(_counter)}.sqlite3")


@given(steps=st.lists(step, min_size=1, max_size=25), data=st.data())
def test_any_order_and_batching_gives_the_same_state(tmp_path: Path, steps, data) -> None:
    revisions = simulate(steps)
    expected = reference_state(revisions)
    shuffled = data.draw(st.permutations(revisions))
    cut = data.draw(st.integers(min_value=0, max_value=len(shuffled)))

    in_order, shuffled_replica = new_replica(tmp_path), new_replica(tmp_path)
    try:
        in_order.apply(revisions)
        for revision in shuffled[:cut]:  # one at a time ...
            shuffled_replica.apply([revision])
        shuffled_replica.apply(list(shuffled[cut:]))  # ... then the rest in one batch
        assert in_order.state() == expected
        assert shuffled_replica.state() == expected
        assert in_order.heads() == shuffled_replica.heads()
    finally:
        in_order.close()
        shuffled_replica.close()


@given(steps=st.lists(step, min_size=1, max_size=20))
def test_applying_twice_changes_nothing(tmp_path: Path, steps) -> None:
    revisions = simulate(steps)
    replica = new_replica(tmp_path)
    try:
        replica.apply(revisions)
        before = (replica.state(), replica.heads())
        replica.apply(revisions)
        replica.apply(list(reversed(revisions)))
        assert (replica.state(), replica.heads()) == before
    finally:
        replica.close()


def test_another_sites_edit_is_a_conflict_everywhere_until_the_owner_merges(tmp_path: Path) -> None:
    a, b, c = SimSite("site-a"), SimSite("site-b"), SimSite("site-c")
    base = a.write("rec-1", "original")  # site A created the record: A owns it
    b.receive(a)
    edit_a = a.write("rec-1", "edited at A")
    edit_b = b.write("rec-1", "edited at B")
    replicas = [new_replica(tmp_path) for _ in range(3)]
    try:
        replicas[0].apply([base, edit_a, edit_b])
        replicas[1].apply([edit_b, base, edit_a])
        replicas[2].apply([edit_a])
        replicas[2].apply([edit_b])
        replicas[2].apply([base])
        states = [r.state() for r in replicas]
        assert states[0] == states[1] == states[2]
        rev_id, head_count, deleted, value = states[0]["rec-1"]
        assert head_count == 2 and not deleted
        # The owner's version is shown until a person of the owning site merges, whatever the
        # Lamport counters say: another site's edit never wins silently.
        assert rev_id == edit_a.rev_id and value == "edited at A"

        # A plain child of the owner's head written elsewhere is still only a proposal.
        b.receive(a)
        child_b = b.write("rec-1", "rewritten at B", merge=True)
        assert child_b is not None
        # A third site cannot settle it either...
        c.receive(a)
        c.receive(b)
        merged_c = c.write("rec-1", "merged at C", merge=True)
        assert merged_c is not None
        for replica in replicas:
            replica.apply([child_b, merged_c])
            assert replica.state()["rec-1"][1] > 1
            assert replica.state()["rec-1"][3] == "edited at A"
        # ...the owner can: its merge names every head and settles the record everywhere.
        a.receive(b)
        a.receive(c)
        merged = a.write("rec-1", "merged by a person at A", merge=True)
        assert merged is not None
        for replica in replicas:
            replica.apply([merged])
            assert replica.state()["rec-1"] == (merged.rev_id, 1, False, "merged by a person at A")
    finally:
        for replica in replicas:
            replica.close()
