"""The Part Submission Warrant printed from the demo data, read back from the PDF: every field of
the AIAG warrant, the requirements answer derived from the results, four languages, A4, bundled
fonts only."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from desktop_app.documents import local_format
from desktop_app.domain.certification import State, SubmissionKind
from desktop_app.domain.psw import Answer, Warrant
from desktop_app.paths import DataFolder
from desktop_app.services.certification import CertificationService
from desktop_app.services.certification_psw import (
    update_warrant_fields,
    warrant,
    write_psw_pdf,
)
from desktop_app.services.context import open_context
from desktop_app.services.people import PeopleService
from desktop_app.ui.i18n import core_translator
from tests.documents.psw_fixtures import DEMO_PASSWORD, demo_folder, shown, squeeze
from tests.documents.raster import assert_printed_page, rasterise

LANGUAGES = ("en", "fr", "ar", "zh")
A4 = (595.2756, 841.8898)
TYPED = {
    "org_part_number": "MER-88-1402", "drawing_number": "DWG-88-1402",
    "change_date": "2026-03-31", "additional_changes": "ECN-2291 hole Ø8.5",
    "additional_changes_date": "2026-04-02", "safety_regulation": "no",
    "purchase_order": "PO-2026-118", "checking_aid": "CF-77 rev. B",
    "checking_aid_date": "2026-02-15", "buyer": "Zhou Lan (周岚) / B-07",
    "substances_reported": "yes", "imds": "IMDS 1234567/1", "polymer_marking": "n/a",
    "explanation": "Burr on edge 4 reworked", "mould_cavity_process": "Press line 3, die 2",
    "production_pieces": "320", "production_hours": "8", "customer_tools_tagged": "yes",
    "phone": "+213 23 86 11 02", "customer_tracking": "JTR-PPAP-0042",
}


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    ctx = open_context(DataFolder(demo_folder(tmp_path_factory)))
    people = PeopleService(ctx)
    actors = {name: people.sign_in(name, DEMO_PASSWORD)
              for name in ("n.mansouri", "k.benali", "s.haddad")}
    service = CertificationService(ctx)
    inspector = actors["n.mansouri"]
    warrants = {s.submission_id: warrant(service, inspector, s.submission_id)
                for s in service.list_submissions(inspector, 0, 1000)}
    yield service, actors, warrants
    ctx.close()


_EMPTY: dict[str, str] = {}


def _empty_submission(service: CertificationService, actors) -> str:
    """A PPAP submission just created on a demo part: no evidence linked (made once)."""
    if "sid" not in _EMPTY:
        inspector = actors["n.mansouri"]
        part_id = next(s.part_id for s in service.list_submissions(inspector, 0, 1000)
                       if s.state == State.APPROVED)
        detail = service.create_submission(actors["s.haddad"], part_id,
                                           kind=SubmissionKind.PPAP, level=3)
        _EMPTY["sid"] = detail.summary.submission_id
    return _EMPTY["sid"]


def translator(language: str):
    return core_translator(language) if language != "en" else (lambda context, text: text)


def pick(warrants: dict[str, Warrant], test) -> tuple[str, Warrant]:
    ordered = sorted(warrants.items(), key=lambda item: item[1].submission_number)
    return next((sid, w) for sid, w in ordered if test(w))


def page_text(path: Path) -> str:
    return "".join(page.extract_text() for page in PdfReader(path).pages)


def requirements_answer(text: str, language: str) -> str:
    """Which box of "these results meet all design record requirements" is ticked: the only
    yes / no pair of the results section (the four results also offer n/a)."""
    t = translator(language)
    yes, no, na = (shown(t("Psw", word)) for word in ("yes", "no", "n/a"))
    title = t("Psw", "Submission results")
    start = squeeze(text).index(shown(title.upper() if language in ("en", "fr") else title))
    found = re.search(f"([☐☒]){re.escape(yes)}([☐☒]){re.escape(no)}(?![☐☒]{re.escape(na)})",
                      squeeze(text)[start:])
    assert found, language
    return {("☒", "☐"): "yes", ("☐", "☒"): "no"}.get(found.groups(), "none")


@pytest.mark.parametrize("language", LANGUAGES)
def test_all_four_results_no_means_requirements_not_met(demo, tmp_path, language) -> None:
    service, actors, _warrants = demo
    # The demo approves nothing that contradicts its evidence any more (decisions re-run the
    # checks): a new submission, nothing linked yet, has four results "no".
    sid = _empty_submission(service, actors)
    w = warrant(service, actors["n.mansouri"], sid)
    assert all(a is Answer.NO for _k, a in w.results)
    assert w.meets_requirements is Answer.NO  # derived, never typed
    path = write_psw_pdf(service, actors["n.mansouri"], sid, tmp_path / "psw.pdf", language,
                         translator(language))
    text = page_text(path)
    assert requirements_answer(text, language) == "no"
    # The reasons stand in the explanation box: each missing result, then what else is missing.
    missing = [n for n in w.notes if n.template.startswith("{result}: no result is linked")]
    assert len(missing) == 4 and w.notes[:4] == tuple(missing)


@pytest.mark.parametrize("language", LANGUAGES)
def test_results_present_and_checks_clean_means_requirements_met(demo, tmp_path,
                                                                 language) -> None:
    service, actors, warrants = demo
    sid, w = pick(warrants, lambda w: w.meets_requirements is Answer.YES)
    assert Answer.NO not in dict(w.results).values()
    assert Answer.YES in dict(w.results).values()
    path = write_psw_pdf(service, actors["n.mansouri"], sid, tmp_path / "psw.pdf", language,
                         translator(language))
    assert requirements_answer(page_text(path), language) == "yes"


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_field_of_the_warrant_is_printed(demo, tmp_path, language) -> None:
    service, actors, warrants = demo
    sid, w = pick(warrants, lambda w: w.state == State.DRAFT)
    preparer = {"Samira Haddad": "s.haddad", "Karim Benali": "k.benali"}[w.signer_name]
    update_warrant_fields(service, actors[preparer], sid, TYPED)
    w = warrant(service, actors["n.mansouri"], sid)
    path = write_psw_pdf(service, actors["n.mansouri"], sid, tmp_path / f"psw-{language}.pdf",
                         language, translator(language))
    reader = PdfReader(path)
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (float(box.width), float(box.height)) == pytest.approx(A4, abs=0.01)
    text = squeeze(page_text(path))
    def day(iso: str) -> str:  # dates and numbers as the document's language writes them
        return local_format.day(iso, language)

    values = [
        w.submission_number, w.part_name, w.customer_part_number, "MER-88-1402", "DWG-88-1402",
        w.change_level, day("2026-03-31"), "ECN-2291 hole Ø8.5",
        day("2026-04-02"), "PO-2026-118",
        local_format.number(w.weight_kg, language), "CF-77 rev. B",
        day("2026-02-15"), w.supplier_name, w.supplier_code,
        w.supplier_address, w.customer, "Zhou Lan (周岚) / B-07", w.application,
        "IMDS 1234567/1", "Burr on edge 4 reworked", "Press line 3, die 2",
        w.signer_name, w.signer_title, "+213 23 86 11 02", w.signer_email, "JTR-PPAP-0042",
    ]
    assert re.fullmatch(r"\d+\.\d{4}", w.weight_kg)  # kg to four places
    for value in values:
        assert value and squeeze(value) in text, (language, value)
    t = translator(language)
    # The declaration carries the production rate; the ten reasons and five levels are listed.
    assert squeeze(t("Psw", "The supplier declares that the samples covered by this warrant "
                           "represent its parts, made by a process that meets every requirement "
                           "of the AIAG Production Part Approval Process (4th edition), at a "
                           "production rate of {pieces} pieces in {hours} hours, and that "
                           "documented evidence of this is on file and available for review. "
                           "Any deviation from this declaration is explained under "
                           "Explanation / comments.")
                   .format(pieces=320, hours=8))[:40] in text or language == "ar"
    assert text.count("☒") + text.count("☐") >= 10 + 5 + 4 * 3 + 2 + 3 * 2 + 3 + 2 + 4
    metadata = reader.metadata
    assert metadata.title == f"{t('Psw', 'Part Submission Warrant')} — {w.submission_number}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_only_bundled_fonts_all_embedded_and_chinese_names_have_glyphs(demo, tmp_path,
                                                                       language) -> None:
    service, actors, warrants = demo
    sid, w = pick(warrants, lambda w: "李伟" in w.customer_name)
    path = write_psw_pdf(service, actors["n.mansouri"], sid, tmp_path / "psw.pdf", language,
                         translator(language))
    reader = PdfReader(path)
    fonts = {}
    for page in reader.pages:
        for ref in page["/Resources"]["/Font"].values():
            font = ref.get_object()
            descriptor = font["/FontDescriptor"].get_object() if "/FontDescriptor" in font \
                else font["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
            fonts[str(font["/BaseFont"])] = "/FontFile2" in descriptor
    assert fonts and all(fonts.values()), fonts
    assert not any("Helvetica" in name or "Times" in name for name in fonts)
    assert "李伟" in page_text(path)  # drawn with the Chinese font, in every language
    assert squeeze(w.customer_tracking) in squeeze(page_text(path))


def test_an_unknown_field_prints_an_empty_box_not_a_guess(demo, tmp_path) -> None:
    service, actors, warrants = demo
    sid, w = pick(warrants, lambda w: w.state == State.SUBMITTED and not w.purchase_order)
    assert w.disposition == "" and w.customer_name == "" and w.customer_tracking == ""
    assert w.substances_reported is Answer.UNKNOWN
    path = write_psw_pdf(service, actors["n.mansouri"], sid, tmp_path / "psw.pdf")
    text = squeeze(page_text(path))
    # Nothing ticked for an unanswered question, no disposition before the customer decides.
    section = text[text.index("MATERIALSREPORTING"):text.index("REASONFORSUBMISSION")]
    assert "☒" not in section
    customer = text[text.index("FORCUSTOMERUSEONLY"):]
    assert "☒" not in customer


@pytest.mark.parametrize("language", ("fr", "ar"))
def test_the_page_is_an_a4_page_with_ink(demo, tmp_path, language) -> None:
    service, actors, warrants = demo
    sid, _w = pick(warrants, lambda w: w.disposition == State.APPROVED)
    path = write_psw_pdf(service, actors["n.mansouri"], sid, tmp_path / "psw.pdf", language,
                         translator(language))
    assert_printed_page(rasterise(path, 70), A4, 70)


def test_a_long_explanation_continues_on_the_next_pages(demo, tmp_path) -> None:
    from dataclasses import replace

    from desktop_app.documents.psw_pdf import write_warrant_pdf
    from desktop_app.domain.psw import Note

    _service, _actors, warrants = demo
    _sid, w = pick(warrants, lambda w: w.disposition == State.APPROVED)
    notes = tuple(Note("Finding number {n} of a very long list.", (("n", str(n)),), "Psw")
                  for n in range(1, 121))
    path = write_warrant_pdf(replace(w, notes=notes), tmp_path / "long.pdf")
    reader = PdfReader(path)
    assert len(reader.pages) == 3  # 120 lines: the rest of page 1, all of page 2, then page 3
    text = page_text(path)
    for n in (1, 60, 120):  # every line printed once, none lost at the page break
        assert text.count(f"Finding number {n} of a very long list.") == 1
    assert "page 2" in reader.pages[1].extract_text()
    assert "Finding number 1 of" not in reader.pages[1].extract_text()  # not printed twice
    for page in reader.pages:
        assert_box_inside_page(page)


def assert_box_inside_page(page) -> None:
    """No text is drawn below the bottom margin's footer line or above the page."""
    ys: list[float] = []
    page.extract_text(visitor_text=lambda text, cm, tm, font, size: ys.append(tm[5])
                      if text.strip() else None)
    assert ys and min(ys) > 10 and max(ys) < float(page.mediabox.height)


@pytest.mark.parametrize("language", ("fr", "ar", "zh"))
def test_the_customer_signature_meaning_is_in_the_warrant_language(demo, tmp_path,
                                                                   language) -> None:
    service, actors, warrants = demo
    sid, w = pick(warrants, lambda w: w.disposition == State.APPROVED and w.customer_meaning)
    assert w.customer_meaning.startswith("approved as")
    path = write_psw_pdf(service, actors["n.mansouri"], sid, tmp_path / "psw.pdf", language,
                         translator(language))
    text = page_text(path)
    assert "approved as" not in text
    assert w.customer_name.split(" (")[0] in text


def test_measured_values_in_the_explanation_have_the_warrants_decimal_mark() -> None:
    from desktop_app.domain.psw import Note

    note = Note("Special characteristic {number} ({cls}) has Ppk {ppk}, below 1.33; improve the "
                "process or reference a deviation.", (("cls", "CC"), ("number", "1.2"),
                                                       ("ppk", "1.099")))
    french = note.text(translator("fr"), lambda v: local_format.number(v, "fr"))
    assert "1,099" in french and "1.099" not in french
    assert "1.2" in french  # a characteristic's number is a label, not a measure


# Words no label of the warrant uses (the Arabic warrant's labels are Arabic too), each once.
ARABIC_NOTE = ("قمر نخلة جبل بحر نهر سحاب غيمة وردة ياسمين زيتون رمان تفاح برتقال ليمون عنب "
               "تين مشمش خوخ كرز موز أناناس بطيخ شمام جوز لوز بندق فستق كستناء زعتر نعناع "
               "ريحان صنوبر أرز سرو بلوط غزال حمامة عصفور فراشة نحلة سنجاب أرنب سلحفاة دلفين "
               "نورس")


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_three_line_arabic_explanation_reads_in_order_and_chinese_has_glyphs(
        demo, tmp_path, language) -> None:
    from tests.documents.pdf_text import CHINESE_NAME, arabic_lines, font_of, missing_glyphs

    service, actors, warrants = demo
    sid, w = pick(warrants, lambda w: w.state == State.DRAFT)
    preparer = {"Samira Haddad": "s.haddad", "Karim Benali": "k.benali"}[w.signer_name]
    update_warrant_fields(service, actors[preparer], sid,
                          {**TYPED, "explanation": ARABIC_NOTE, "buyer": CHINESE_NAME})
    pdf = write_psw_pdf(service, actors["n.mansouri"], sid, tmp_path / f"psw-{language}.pdf",
                        language, translator(language)).read_bytes()
    lines = arabic_lines(pdf, ARABIC_NOTE)
    assert len(lines) >= 3, lines  # wrapped over three lines or more
    assert [i for line in lines for i in line] == list(range(len(ARABIC_NOTE.split()))), lines
    assert font_of(pdf, "李伟") == {"WenQuanYiMicroHei-0"}
    assert missing_glyphs(pdf) == []
