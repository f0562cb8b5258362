"""How long records are kept (IATF 16949 7.5.3.2.1; AIAG PPAP: while the part is active plus one
calendar year): retain-until = the end of production of the part revision plus one calendar
year, or as many years as its customer requires (customers may ask for 15 to 20). A record past
its retention date is listed for a person to decide; nothing is ever deleted automatically.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date

DEFAULT_YEARS = 1
MAX_YEARS = 50


def add_years(day: date, years: int) -> date:
    """The same calendar day `years` later (29 February becomes 28 February)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def retention_years(customers: Iterable[str], policies: Mapping[str, int]) -> tuple[int, str]:
    """The longest retention any customer of the part requires, and which customer asks it
    (customers compared without case); the default when none has a policy."""
    known = {k.strip().casefold(): v for k, v in policies.items()}
    best, who = DEFAULT_YEARS, ""
    for customer in sorted(set(customers)):
        years = known.get(customer.strip().casefold())
        if years is not None and years > best:
            best, who = years, customer
    return best, who


def retain_until(ended_on: date, years: int) -> date:
    return add_years(ended_on, years)
