from __future__ import annotations

import uuid
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop_app.domain.errors import ValidationError
from desktop_app.domain.revisions import (
    Op,
    Revision,
    canonical_json,
    changed_fields,
    referenced_blobs,
    resolve,
    uuid7,
)


def make(**overrides) -> Revision:
    params = dict(
        record_type="part",
        record_id="r1",
        parents=(),
        site_id="s1",
        lamport=1,
        author="u1",
        fields={"name": "Bracket", "mass": Decimal("1.250")},
        reason="registered",
        created_at="2026-01-01T00:00:00.000000Z",
    )
    params.update(overrides)
    return Revision.create(**params)


def test_canonical_json_sorts_keys_and_writes_decimals_as_text() -> None:
    assert canonical_json({"b": 1, "a": Decimal("1.50"), "c": "é"}) == '{"a":"1.50","b":1,"c":"é"}'


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), Decimal("NaN")])
def test_canonical_json_refuses_non_finite_numbers(bad) -> None:
    with pytest.raises(ValidationError):
        canonical_json({"x": bad})


def test_canonical_json_refuses_objects_it_cannot_store() -> None:
    with pytest.raises(ValidationError, match="cannot be stored"):
        canonical_json({"x": object()})


def test_rev_id_is_the_hash_of_the_content_and_ignores_parent_order() -> None:
    one = make(parents=("p2", "p1"))
    two = make(parents=("p1", "p2"))
    assert one.rev_id == two.rev_id and len(one.rev_id) == 64
    assert make(reason="other").rev_id != one.rev_id


def test_a_revision_altered_in_transit_is_refused() -> None:
    data = make().to_dict()
    assert Revision.from_dict(data).rev_id == data["rev_id"]
    data["fields"]["name"] = "Forged"
    with pytest.raises(ValidationError, match="does not match its content"):
        Revision.from_dict(data)


def test_a_malformed_revision_is_refused_in_one_sentence() -> None:
    data = make().to_dict()
    data["lamport"] = "7"
    with pytest.raises(ValidationError, match="malformed"):
        Revision.from_dict(data)


def test_uuid7_has_version_7_and_sorts_by_time() -> None:
    first, second = uuid7(now_ms=1_000), uuid7(now_ms=2_000)
    assert uuid.UUID(first).version == 7
    assert first < second


@given(
    st.lists(
        st.tuples(st.integers(0, 5), st.sampled_from(["a", "b", "c"])),
        min_size=1,
        max_size=6,
        unique=True,
    )
)
def test_the_provisional_winner_does_not_depend_on_order(keys) -> None:
    heads = [make(lamport=lamport, site_id=site, record_id="r") for lamport, site in keys]
    winners = {resolve(order).winner.rev_id for order in (heads, list(reversed(heads)))}
    assert len(winners) == 1
    winner = resolve(heads).winner
    assert winner.order_key() == max(h.order_key() for h in heads)


def test_tombstones_carry_no_fields() -> None:
    assert make(op=Op.TOMBSTONE).fields == {}


def test_changed_fields_lists_old_and_new_values() -> None:
    assert changed_fields({"a": 1, "b": 2}, {"a": 1, "b": 3, "c": 4}) == {
        "b": (2, 3),
        "c": (None, 4),
    }


def test_referenced_blobs_follow_the_naming_convention() -> None:
    fields = {"blob_sha256": "a" * 64, "photo_blob_sha256": ["b" * 64, ""], "sha256": "c" * 64}
    assert referenced_blobs(fields) == {"a" * 64, "b" * 64}
