"""The integration rate: reference lists, links, which sets count and why."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop_app.domain.approvals import ApprovalKind, ApprovalPeriod
from desktop_app.domain.errors import ValidationError
from desktop_app.domain.integration import (
    Reason,
    ReferenceEntry,
    SetKind,
    SetLink,
    check_reference_list,
    evaluate,
    forecast_history,
    parse_rate,
    rate_history,
)

D0 = date(2026, 1, 1)


def entry(code: str, rate: str) -> ReferenceEntry:
    return ReferenceEntry(code, f"Set {code}", SetKind.SET, Decimal(rate))


# -- bad input -------------------------------------------------------------------------------

def test_a_list_summing_to_more_than_100_is_refused_with_the_excess() -> None:
    with pytest.raises(ValidationError, match=r"100\.5 %, 0\.5 % more than 100 %"):
        check_reference_list([entry("A", "60"), entry("B", "40.5")])


def test_a_list_short_of_100_says_by_how_much() -> None:
    check = check_reference_list([entry("A", "60"), entry("B", "32.5")])
    assert check.total == Decimal("92.5")
    assert check.shortfall == Decimal("7.5")
    assert not check.complete


@pytest.mark.parametrize("value", ["-1", "-0.01"])
def test_a_negative_rate_is_refused(value: str) -> None:
    with pytest.raises(ValidationError, match="negative"):
        ReferenceEntry.parse("A", "Seats", "set", value, row=4)


@pytest.mark.parametrize("value", ["abc", "", "1.2.3", "NaN", "inf"])
def test_a_non_numeric_rate_is_refused_with_its_row(value: str) -> None:
    with pytest.raises(ValidationError, match=r"^Row 7: the rate '.*' is not a number\.$"):
        ReferenceEntry.parse("A", "Seats", "set", value, row=7)


def test_rates_accept_commas_and_percent_signs() -> None:
    assert parse_rate("12,5 %") == Decimal("12.5")
    assert parse_rate(10) == Decimal(10)


def test_duplicate_set_codes_are_refused() -> None:
    with pytest.raises(ValidationError, match="twice"):
        check_reference_list([entry("A", "10"), entry("a", "10")])


# -- which sets count and why ------------------------------------------------------------------

def test_each_set_says_why_it_does_not_count() -> None:
    entries = [entry("A", "10"), entry("B", "20"), entry("C", "30"), entry("D", "5")]
    links = [SetLink("A", "p1", supply_start=D0), SetLink("B", "p2", supply_start=None),
             SetLink("C", "p3", supply_start=D0)]
    periods = {"p1": [ApprovalPeriod("p1", ApprovalKind.APPROVED, D0)],
               "p2": [ApprovalPeriod("p2", ApprovalKind.APPROVED, D0)],
               "p3": [ApprovalPeriod("p3", ApprovalKind.INTERIM, D0, D0 + timedelta(days=30))]}
    result = evaluate(entries, links, periods, D0 + timedelta(days=40))
    reasons = {s.entry.code: s.reason for s in result.sets}
    assert reasons == {"A": Reason.COUNTS, "B": Reason.SUPPLY_NOT_STARTED,
                       "C": Reason.NOT_APPROVED, "D": Reason.NO_LINK}
    assert result.rate == Decimal(10)
    # the interim approval still held at day 10
    assert evaluate(entries, links, periods, D0 + timedelta(days=10)).rate == Decimal(40)


def test_a_share_pro_rates_a_set_with_imported_inputs() -> None:
    entries = [entry("SEATS", "8")]
    links = [SetLink("SEATS", "front", D0, Decimal(60)), SetLink("SEATS", "rear", D0, Decimal(60))]
    front_only = {"front": [ApprovalPeriod("front", ApprovalKind.APPROVED, D0)]}
    assert evaluate(entries, links, front_only, D0).rate == Decimal("4.8")
    both = {**front_only, "rear": [ApprovalPeriod("rear", ApprovalKind.APPROVED, D0)]}
    assert evaluate(entries, links, both, D0).rate == Decimal(8)  # capped at the set's rate


def test_forecast_counts_expected_approvals_from_today_not_from_a_past_date() -> None:
    entries = [entry("A", "10"), entry("B", "15")]
    today = D0 + timedelta(days=100)
    links = [SetLink("A", "p1", expected_approval=D0, planned_supply_start=D0),
             SetLink("B", "p2", expected_approval=today + timedelta(days=50),
                     planned_supply_start=today + timedelta(days=60))]
    history = forecast_history(entries, links, {}, today)
    assert history.at(today - timedelta(days=1)) == 0  # late is not done
    assert history.at(today) == Decimal(10)
    assert history.at(today + timedelta(days=59)) == Decimal(10)
    assert history.at(today + timedelta(days=60)) == Decimal(25)


# -- properties ------------------------------------------------------------------------------

rates = st.decimals(min_value=0, max_value=20, places=2)
days = st.integers(min_value=0, max_value=2000)


@st.composite
def programmes(draw):
    n = draw(st.integers(min_value=0, max_value=8))
    entries = [ReferenceEntry(f"S{i}", f"Set {i}", SetKind.SET, draw(rates)) for i in range(n)]
    links, periods = [], {}
    for i in range(draw(st.integers(min_value=0, max_value=10))):
        part = f"P{i}"
        set_code = f"S{draw(st.integers(min_value=0, max_value=max(n, 1)))}"
        supply = draw(st.one_of(st.none(), days))
        share = draw(st.sampled_from([Decimal(100), Decimal(50), Decimal("33.3")]))
        links.append(SetLink(set_code, part, None if supply is None else D0 + timedelta(supply),
                             share))
        periods[part] = [
            ApprovalPeriod(part, draw(st.sampled_from(list(ApprovalKind))), D0 + timedelta(s),
                           None if e is None else D0 + timedelta(s + e))
            for s, e in draw(st.lists(st.tuples(days, st.one_of(st.none(), days)), max_size=2))
        ]
    return entries, links, periods


@given(programmes(), days)
def test_rate_is_the_sum_of_the_counting_sets(programme, day) -> None:
    entries, links, periods = programme
    result = evaluate(entries, links, periods, D0 + timedelta(day))
    assert result.rate == sum((s.contribution for s in result.sets if s.counts), Decimal(0))
    for s in result.sets:
        assert 0 <= s.contribution <= s.entry.rate
        assert (s.reason is Reason.COUNTS) == s.counts
    assert result.rate <= sum((e.rate for e in entries), Decimal(0))


@given(programmes(), days, st.integers(min_value=0, max_value=9), days)
def test_rate_never_decreases_when_a_part_gains_approval(programme, day, which, start) -> None:
    entries, links, periods = programme
    when = D0 + timedelta(day)
    before = evaluate(entries, links, periods, when).rate
    part = f"P{which}"
    more = {**periods, part: [*periods.get(part, []),
                              ApprovalPeriod(part, ApprovalKind.APPROVED, D0 + timedelta(start))]}
    assert evaluate(entries, links, more, when).rate >= before


@given(programmes(), days)
def test_rate_history_agrees_with_the_rate_on_every_day(programme, day) -> None:
    """The history is computed by a faster path; both must agree on any day."""
    entries, links, periods = programme
    when = D0 + timedelta(day)
    assert rate_history(entries, links, periods).at(when) == \
        evaluate(entries, links, periods, when).rate
