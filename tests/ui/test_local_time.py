"""Stored UTC timestamps are shown as local date/time in the language's own format."""

import pytest
from PySide6.QtCore import QLocale

from desktop_app.ui.local_time import local_date, local_datetime

STAMP = "2026-03-16T12:00:07.123456Z"  # midday: the same calendar day in every time zone


@pytest.fixture
def locale():
    previous = QLocale()

    def use(code: str) -> None:
        QLocale.setDefault(QLocale(code))

    yield use
    QLocale.setDefault(previous)


def test_french_reads_day_month_year_without_iso_noise(locale):
    locale("fr")
    text = local_datetime(STAMP)
    assert text.startswith("16/03/2026 ")
    assert "T" not in text and ".123456" not in text and "Z" not in text
    assert local_date(STAMP) == "16/03/2026"
    assert local_datetime(STAMP, seconds=True).endswith(":07")


def test_arabic_keeps_latin_digits_like_the_rest_of_the_application(locale):
    locale("ar")
    assert "2026" in local_datetime(STAMP) and "16" in local_date(STAMP)


def test_text_that_is_not_a_timestamp_is_shown_as_it_is(locale):
    locale("en")
    assert local_datetime("") == "" and local_datetime("2026-03-16") == "2026-03-16"
    assert local_date("2026-03-16") == "2026-03-16"
