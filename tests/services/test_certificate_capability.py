"""The certificate's capability line follows the AIAG bands: 1.67 itself needs the customer's
agreement, only above it does Ppk meet the criterion."""

from __future__ import annotations

from decimal import Decimal

import pytest

from desktop_app.domain.capability import Band, band_of
from desktop_app.services.certificate_builder import capability_verdict


@pytest.mark.parametrize(("ppk", "printed"), [
    ("1.329", "not acceptable"), ("1.330", "customer agreement"),
    ("1.670", "customer agreement"), ("1.671", "acceptable"),
])
def test_the_certificate_prints_the_same_band_as_the_study(ppk, printed):
    assert capability_verdict(Decimal(ppk), "") == printed
    band = band_of(Decimal(ppk))
    assert printed == {Band.NOT_ACCEPTABLE: "not acceptable",
                       Band.CUSTOMER_AGREEMENT: "customer agreement",
                       Band.ACCEPTABLE: "acceptable"}[band]
