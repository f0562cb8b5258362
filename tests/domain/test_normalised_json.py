"""The fast path used when hashing and storing revisions writes exactly the canonical text."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from desktop_app.domain.revisions import (
    Revision,
    canonical_json,
    normalise_fields,
    normalised_json,
    sha256_hex,
)

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text()
    | st.decimals(allow_nan=False, allow_infinity=False).map(Decimal),
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=20,
)


@given(st.dictionaries(st.text(max_size=8), json_values, max_size=6))
def test_normalised_json_equals_canonical_json_of_normalised_fields(fields):
    normal = normalise_fields(fields)
    assert normalised_json(normal) == canonical_json(fields)


@given(st.dictionaries(st.text(max_size=8), json_values, max_size=6), st.text(max_size=20))
def test_revision_ids_are_unchanged_by_the_fast_path(fields, reason):
    revision = Revision.create(record_type="note", record_id="r1", parents=("b", "a"),
                               site_id="s", lamport=3, author="u", fields=fields,
                               reason=reason, created_at="2026-01-01T00:00:00.000000Z")
    assert revision.rev_id == sha256_hex(canonical_json(revision.body()))
    assert Revision.from_dict(revision.to_dict()) == revision
