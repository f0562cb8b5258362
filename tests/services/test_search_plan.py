"""A page of search results is the same whichever plan reads it, and the plan follows where the
matches really are: a part-number prefix whose matches all sort late is read match-first, a word
spread through the table walks the sort order and stops at the page's end."""

from __future__ import annotations

import random

import pytest

from desktop_app.files.tables import write_table
from desktop_app.services import parts as parts_module
from desktop_app.services.parts import PartService
from desktop_app.services.parts_dto import PartQuery
from desktop_app.services.parts_import import PartsImportService
from desktop_app.storage.models.parts import PART_SEARCH

HEADERS = ["Référence", "Indice", "Désignation", "Masse (kg)"]


@pytest.fixture
def registry(ctx, actors, tmp_path, monkeypatch):
    """3,000 parts: 2,600 JA… then 400 JX3-… (dense and last in part-number order); every
    third designation says "Traverse", spread through the whole order."""
    rnd = random.Random(5)
    rows = []
    for i in range(3000):
        prefix = "JX3" if i >= 2600 else f"JA{rnd.randint(1, 9)}"
        word = "Traverse" if i % 3 == 0 else rnd.choice(["Support", "Renfort", "Bride"])
        rows.append([f"{prefix}-{i:05d}", "A", f"{word} {rnd.randint(1, 99)}",
                     f"{rnd.randint(1, 900) / 100:.2f}"])
    path = tmp_path / "parts.csv"
    write_table(path, HEADERS, rows, "csv")
    PartsImportService(ctx).apply(actors["eng"], path)
    # The thresholds of a 100,000-part registry, scaled to 3,000 parts.
    monkeypatch.setattr(parts_module, "DENSE_MATCHES", 100)
    monkeypatch.setattr(parts_module, "WALK_BUDGET", 1000)
    return rows


def _expected(rows, keep, offset, limit, key=lambda r: r[0]) -> list[str]:
    return [r[0] for r in sorted((r for r in rows if keep(r)), key=key)][offset:offset + limit]


def _walks(ctx, query: PartQuery, needed: int) -> bool:
    with ctx.unit_of_work() as uow:
        tokens = parts_module.query_tokens(query.search)
        matches = PART_SEARCH.count(uow.session, tokens)
        return PartService._walk_stops_early(uow.session, query, tokens, matches, needed)


def test_a_late_dense_part_number_prefix_is_read_match_first(ctx, registry) -> None:
    assert not _walks(ctx, PartQuery(search="jx3"), 100)
    assert _walks(ctx, PartQuery(search="traverse"), 100)


@pytest.mark.parametrize(("search", "keep"), [
    ("jx3", lambda r: r[0].startswith("JX3")),
    ("JX3-029", lambda r: r[0].startswith("JX3-029")),
    ("trav", lambda r: r[2].startswith("Traverse")),
    ("ja", lambda r: r[0].startswith("JA")),
])
@pytest.mark.parametrize("offset", [0, 250])
def test_every_plan_gives_the_page_a_person_expects(ctx, registry, search, keep, offset) -> None:
    page = PartService(ctx).page(PartQuery(search=search), offset, 100)
    assert [r.part_number for r in page.rows] == _expected(registry, keep, offset, 100)
    assert page.total == sum(1 for r in registry if keep(r))


def test_a_search_sorted_by_mass_descending_is_the_same_page_either_way(ctx, registry) -> None:
    query = PartQuery(search="trav", sort_key="mass", descending=True)
    page = PartService(ctx).page(query, 0, 50)
    expected = _expected(registry, lambda r: r[2].startswith("Traverse"), 0, 50,
                         key=lambda r: (-round(float(r[3]) * 1_000_000), r[0]))
    assert [r.part_number for r in page.rows] == expected


def test_a_word_naming_suppliers_pages_and_counts_like_the_rows_say(ctx, actors, tmp_path,
                                                                    monkeypatch) -> None:
    from desktop_app.domain.parts import SupplierDraft
    from desktop_app.services.suppliers import SupplierService

    for code in ("MER", "SFH", "BVE"):
        SupplierService(ctx).add_supplier(actors["eng"], SupplierDraft(
            name=f"{'Supplier' if code != 'BVE' else 'Fonderie'} {code}", code=code))
    rnd = random.Random(9)
    rows = [[f"J{rnd.choice('XDC')}{rnd.randint(1, 9)}-{i:05d}", "A",
             f"{rnd.choice(['Support', 'Bride', 'Traverse'])} {i}",
             rnd.choice(["MER", "SFH", "BVE"])]
            for i in range(900)]
    path = tmp_path / "parts.csv"
    write_table(path, ["Référence", "Indice", "Désignation", "Fournisseur"], rows, "csv")
    PartsImportService(ctx).apply(actors["eng"], path)
    monkeypatch.setattr(parts_module, "DENSE_MATCHES", 50)

    def keep(r) -> bool:  # "supp": the suppliers named Supplier…, or a designation Support…
        return r[3] in ("MER", "SFH") or r[2].startswith("Support")

    for offset in (0, 333):
        page = PartService(ctx).page(PartQuery(search="supp"), offset, 100)
        assert [r.part_number for r in page.rows] == _expected(rows, keep, offset, 100)
        assert page.total == sum(1 for r in rows if keep(r))
    both = PartService(ctx).page(PartQuery(search="supp bride"), 0, 1000)
    assert both.total == sum(1 for r in rows if r[3] in ("MER", "SFH") and r[2].startswith("Bride"))
