"""Dates, times, numbers and counts as the window's language writes them: one unambiguous date
format per language (the documents' one), the language's grouping and decimal separator, and the
plural forms of each language (Arabic's six included) from the compiled catalogues."""

import argparse

import pytest
from PySide6.QtWidgets import QDateEdit

from desktop_app.cli.common import Cli
from desktop_app.ui.i18n import tr_n
from desktop_app.ui.local_time import (
    count,
    day,
    local_date,
    local_datetime,
    number,
    set_date_format,
)

STAMP = "2026-03-16T12:00:07.123456Z"  # midday: the same calendar day in every time zone
NNBSP = "\u202f"  # the French group separator (narrow no-break space)


def test_french_reads_day_month_year_without_iso_noise(languages):
    languages.apply("fr")
    text = local_datetime(STAMP)
    assert text.startswith("16/03/2026 ")
    assert "T" not in text and ".123456" not in text and "Z" not in text
    assert local_date(STAMP) == "16/03/2026"
    assert local_datetime(STAMP, seconds=True).endswith(":07")
    assert day("2026-10-31") == "31/10/2026"


def test_english_dates_are_never_ambiguous_and_the_year_is_whole(languages):
    languages.apply("en")
    assert day("2026-10-31") == "31 Oct 2026"
    assert local_date(STAMP) == "16 Mar 2026"  # not 3/16/26
    assert local_datetime(STAMP).startswith("16 Mar 2026 ")
    assert "AM" not in local_datetime(STAMP) and "PM" not in local_datetime(STAMP)


def test_arabic_keeps_latin_digits_like_the_rest_of_the_application(languages):
    languages.apply("ar")
    assert local_date(STAMP) == "16/03/2026"
    assert count(3056) == "3.056" and number("5.2") == "5,2"


def test_chinese_dates(languages):
    languages.apply("zh")
    assert day("2026-10-31") == "2026年10月31日"


def test_numbers_take_the_languages_grouping_and_decimal_separator(languages):
    languages.apply("en")
    assert count(3056) == "3,056" and number("5.2") == "5.2"
    languages.apply("fr")
    assert count(3056) == f"3{NNBSP}056" and number("5.2") == "5,2"
    assert number("n/a") == "n/a" and number(None, "—") == "—"


def test_text_that_is_not_a_date_is_shown_as_it_is(languages):
    languages.apply("en")
    assert local_datetime("") == "" and day("") == "" and day(None, "—") == "—"
    assert day("soon") == "soon"


def test_date_editors_show_the_windows_date_format(qtbot, languages):
    for code, shown in (("fr", "31/10/2026"), ("en", "31 Oct 2026"), ("zh", "2026年10月31日")):
        languages.apply(code)
        edit = set_date_format(QDateEdit())
        qtbot.addWidget(edit)
        edit.setDate(edit.date().fromString("2026-10-31", "yyyy-MM-dd"))
        assert edit.text() == shown


@pytest.mark.parametrize(("code", "expected"), [
    ("en", {1: "1 part", 2: "2 parts", 3056: "3,056 parts"}),
    ("fr", {0: "0 pièce", 1: "1 pièce", 2: "2 pièces", 3056: f"3{NNBSP}056 pièces"}),
    ("zh", {1: "1 个零件", 3056: "3,056 个零件"}),
    # Arabic: zero, one, two, three to ten, eleven to ninety-nine, a hundred and more.
    ("ar", {0: "0 قطعة", 1: "قطعة واحدة", 2: "قطعتان", 3: "3 قطع", 10: "10 قطع",
            11: "11 قطعة", 100: "100 قطعة"}),
])
def test_counts_take_the_plural_form_of_the_language(languages, code, expected):
    languages.apply(code)
    for n, text in expected.items():
        assert tr_n("PartsPage", "%Ln parts", n) == text


def test_the_command_line_counts_in_the_same_forms(tmp_path):
    def cli(lang: str) -> Cli:
        return Cli(argparse.Namespace(data_dir=str(tmp_path), lang=lang, json=False))

    assert cli("en").tr_n("%Ln certificates", 1) == "1 certificate"
    assert cli("en").tr_n("%Ln certificates", 1200) == "1,200 certificates"
    assert cli("fr").tr_n("%Ln certificates", 2) == "2 certificats"
    assert cli("ar").tr_n("%Ln certificates", 2) == "شهادتان"
    assert cli("ar").tr_n("%Ln certificates", 5) == "5 شهادات"


def test_the_histogram_speaks_the_windows_language(qtbot, languages):
    """Its capability band was looked up under the widget's own context, so it stayed in
    English in every language; its numbers take the language's decimal separator."""
    from decimal import Decimal

    from desktop_app.domain.evidence import Limits
    from desktop_app.ui.widgets.histogram_widget import HistogramWidget

    readings = [Decimal("10.00") + Decimal(i % 7) / 100 for i in range(40)]
    for code in ("zh", "fr"):
        languages.apply(code)
        histogram = HistogramWidget()
        qtbot.addWidget(histogram)
        histogram.set_data(readings, Limits(Decimal("9.5"), Decimal("10.5")))
        text = histogram.summary_text()
        assert "Meets" not in text and "Needs customer" not in text and "Not acceptable" not in text
        if code == "fr":
            assert "moyenne 10,0288" in text and "(> 1,67)" in text
