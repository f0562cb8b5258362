"""Q-DAS AQDEF files read as the format describes them: characteristics with their limits, values
with dates and operators in both notations, a .dfd with its .dfx, the encodings and line ends
that measuring programs write; every malformed K-field is one sentence with its line."""

from __future__ import annotations

import io
import zipfile
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import pytest

from desktop_app.domain.errors import ValidationError
from desktop_app.files.aqdef import AqdefFile, companion_of, parse_aqdef, parse_date, read_aqdef
from desktop_app.files.sniff import check_aqdef
from tests.files.aqdef_samples import (
    BURRS,
    CHAR,
    DESCRIPTION,
    FIELD,
    FLATNESS,
    HOLE,
    compact_values,
    dfq_compact,
    dfq_k_fields,
    k_field_values,
    operator,
)


def _written(tmp_path: Path, name: str, data: str | bytes, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(data if isinstance(data, bytes) else data.encode(encoding))
    return path


def _summary(source: AqdefFile) -> list[tuple]:
    return [(c.number, c.description, c.data_type, c.nominal, c.lower_limit, c.upper_limit,
             c.unit, [(r.value, r.samples, r.nonconforming, r.measured_at, r.operator)
                      for r in c.readings]) for c in source.characteristics]


def test_the_k_field_notation_gives_limits_readings_dates_and_operators(tmp_path):
    source = read_aqdef(_written(tmp_path, "JT-5801.dfq", dfq_k_fields()))
    assert (source.part_number, source.part_designation) == ("JT-5801", "Traverse avant")
    hole, flatness, burrs = source.characteristics
    assert (hole.number, hole.description, hole.nominal, hole.lower_limit, hole.upper_limit,
            hole.unit) == ("1", "Hole diameter", Decimal("12"), Decimal("11.9"),
                           Decimal("12.1"), "mm")
    assert (flatness.lower_limit, flatness.upper_limit) == (None, Decimal("0.05"))  # one-sided
    assert burrs.data_type == "attribute" and hole.data_type == flatness.data_type == "variable"
    assert [str(r.value) for r in hole.readings] == HOLE
    assert [str(r.value) for r in flatness.readings] == FLATNESS
    assert [int(r.value) for r in burrs.readings] == BURRS
    assert [r.measured_at for r in hole.readings][:2] == [datetime(2025, 5, 13, 8, 0),
                                                           datetime(2025, 5, 13, 8, 5)]
    assert [r.operator for r in burrs.readings] == [operator(i) for i in range(10)]
    assert hole.readings[0].line == DESCRIPTION.count("\n") + 1


def test_the_compact_value_lines_read_as_the_k_fields_do(tmp_path):
    k_fields = _summary(read_aqdef(_written(tmp_path, "a.dfq", dfq_k_fields())))
    compact_file = read_aqdef(_written(tmp_path, "b.dfq", dfq_compact()))
    compact = _summary(compact_file)
    assert compact[:2] == k_fields[:2]  # the measured characteristics, field for field
    burrs = compact_file.characteristics[2]  # parts checked and nonconforming, not a value
    assert [(r.samples, r.nonconforming) for r in burrs.readings] == [(1, b) for b in BURRS]
    assert [r[3:] for r in compact[2][7]] == [r[3:] for r in k_fields[2][7]]  # dates, operators
    hole = compact_file.characteristics[0]
    assert [r.line for r in hole.readings] == [DESCRIPTION.count("\n") + 1 + i
                                               for i in range(10)]


def test_a_description_file_finds_its_values_beside_it_in_any_case(tmp_path):
    dfd = _written(tmp_path, "JT-5801.dfd", DESCRIPTION)
    _written(tmp_path, "JT-5801.DFX", compact_values())
    assert companion_of(dfd) == tmp_path / "JT-5801.DFX"
    source = read_aqdef(dfd)
    assert source.name == "JT-5801.dfd + JT-5801.DFX"
    assert [len(c.readings) for c in source.characteristics] == [10, 10, 10]
    assert read_aqdef(tmp_path / "JT-5801.DFX").characteristics == source.characteristics
    elsewhere = _written(tmp_path, "other.dfx", k_field_values())
    alone = _written(tmp_path, "alone.dfd", DESCRIPTION)
    assert [len(c.readings) for c in read_aqdef(alone).characteristics] == [0, 0, 0]
    assert [len(c.readings) for c in read_aqdef(alone, elsewhere).characteristics] == [10] * 3


def test_values_without_their_description_are_refused(tmp_path):
    values = _written(tmp_path, "lonely.dfx", compact_values())
    with pytest.raises(ValidationError, match=r"^lonely.dfx holds only values; its description "
                                              r"lonely.dfd is not beside it.$"):
        read_aqdef(values)


def test_a_problem_in_the_values_file_names_that_file(tmp_path):
    dfd = _written(tmp_path, "P.dfd", DESCRIPTION)
    _written(tmp_path, "P.dfx", "K0001/1 12.0\nK0001/2 zero\n")
    with pytest.raises(ValidationError) as caught:
        read_aqdef(dfd)
    assert caught.value.message() == 'P.dfx, line 2: K0001/2 should be a number, not "zero".'


@pytest.mark.parametrize("encoding,prefix", [("cp1252", b""), ("latin-1", b""),
                                             ("utf-8", b""), ("utf-8", b"\xef\xbb\xbf")])
def test_windows_latin_and_utf8_files_with_crlf(tmp_path, encoding, prefix):
    text = DESCRIPTION.replace("Hole diameter", "Ø alésage") + k_field_values()
    data = prefix + text.replace("\n", "\r\n").encode(encoding) + b"\x1a"  # DOS end mark
    path = _written(tmp_path, "enc.dfq", data)
    assert read_aqdef(path).characteristics[0].description == "Ø alésage"


def test_excluded_values_index_zero_defaults_value_numbers_and_other_keys(tmp_path):
    text = "\n".join([
        "K0100 2", "K2001/1 A", "K2002/1 Width", "K2110/1 9,5", "K2111/1 10,5",
        "K2142/0 mm", "K2142/2 N", "K2001/2 B", "K2002/2 Force", "K2110/2 100",
        "K9999/1 an unknown key", "K4092 a catalogue entry",
        "K0001/1 10.0", "K0002/1 255", "K0001/1 10.1", "K0001/1 10.2", "K0002/1 256",
        "K0001/2/2 120", "K0001/2/1 110", "K0004/2/1 01.06.2025 07:30", "K0006/0 #B-17",
        "K0008/1 0",
    ])
    width, force = parse_aqdef(text).characteristics
    assert (width.unit, force.unit) == ("mm", "N")
    assert [(str(r.value), r.excluded) for r in width.readings] == [
        ("10.0", True), ("10.1", False), ("10.2", True)]
    assert [str(r.value) for r in force.readings] == ["120", "110"]
    assert force.readings[1].measured_at == datetime(2025, 6, 1, 7, 30)
    assert force.readings[1].batch == "#B-17" and width.readings[2].operator == ""


@pytest.mark.parametrize("text,expected", [
    ("13.05.2025/08:15:00", datetime(2025, 5, 13, 8, 15)),
    ("13.05.25/08:15", datetime(2025, 5, 13, 8, 15)),
    ("2025-05-13 08:15:30", datetime(2025, 5, 13, 8, 15, 30)),
    ("5/13/2025/8:15:00", datetime(2025, 5, 13, 8, 15)),
    ("2025-05-13T08:15:00+02:00", datetime(2025, 5, 13, 8, 15)),
    ("13.05.2025", datetime(2025, 5, 13)),
    ("31.02.2025/08:00:00", None),
    ("yesterday", None),
])
def test_dates_as_measuring_programs_write_them(text, expected):
    assert parse_date(text) == expected


def _refusal(text: str) -> str:
    with pytest.raises(ValidationError) as caught:
        parse_aqdef(text)
    return caught.value.message()


HEAD = "K0100 2\nK2001/1 1\nK2002/1 Hole\nK2001/2 2\nK2002/2 Length\n"


@pytest.mark.parametrize("tail,expected", [
    ("K2110/2 1,2,3", 'Line 6: K2110/2 should be a number, not "1,2,3".'),
    ("K0001/1 12.0\nK0004/1 13/31/2025", 'Line 7: K0004/1 should be a date and time such as '
                                         '13.05.2025/08:15:00, not "13/31/2025".'),
    ("K2111/3 5", "Line 6: K2111/3 names characteristic 3, but the file has 2 (K0100)."),
    ("K0001/7 5", "Line 6: K0001/7 names characteristic 7, but the file has 2 (K0100)."),
    ("K2004/1 x", 'Line 6: K2004/1 should be a whole number, not "x".'),
    ("K2004/2 5", "Line 6: K2004/2 is characteristic type 5; this import reads 0 (variable) "
                  "and 1 (attribute)."),
    ("K21x0/1 5", 'Line 6: "K21x0/1" is not a K-field (K and four digits, such as K2110/1).'),
    ("K2110/a 5", "Line 6: K2110/a has no valid characteristic index (such as /1, /2, or /0 "
                  "for every characteristic)."),
    ("K0001/0 5", "Line 6: K0001/0 needs the index of one characteristic (/1, /2 …), not /0."),
    ("K1001/2 JT-9", "Line 6: K1001/2 starts a second part; import a file of one part."),
    ("Some comment", "Line 6: The line is neither a K-field (such as K2001/1 …) nor a line of "
                     "values."),
    (f"1{FIELD}0{CHAR}2{FIELD}0{CHAR}3", "Line 6: The line gives values of 3 characteristics, "
                                         "but the file has 2."),
    (f"12.0{FIELD}0{CHAR}abc{FIELD}0", 'Line 6: K0001/2 should be a number, not "abc".'),
])
def test_a_malformed_k_field_is_one_sentence_with_its_line(tail, expected):
    assert _refusal(HEAD + tail + "\n") == expected


def test_k0100_must_count_the_characteristics_described():
    assert _refusal("\n\nK0100 3\nK2001/1 1\nK2002/1 Hole\nK2001/2 2\n") == (
        "Line 3: K0100 says the file has 3 characteristics, but it describes 2.")


def test_an_attribute_count_larger_than_its_subgroup_is_refused():
    text = "K0100 1\nK2001/1 1\nK2002/1 Burr\nK2004/1 1\nK0020/1 5\nK0021/1 7\n"
    assert _refusal(text) == (
        "Line 6: K0021/1 counts 7 nonconforming parts in a subgroup of 5 (K0020).")


def test_a_file_without_characteristics_is_refused():
    with pytest.raises(ValidationError, match=r"^part.dfq describes no characteristic \(no "
                                              r"K2001 … fields\).$"):
        parse_aqdef("K1001 JT-5801\n", "part.dfq")


def _zip_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("data.dfq", DESCRIPTION)
    return buffer.getvalue()


@pytest.mark.parametrize("data,expected", [
    (b"%PDF-1.7\n1 0 obj\n", "cmm.dfq is named as a Q-DAS AQDEF file but is a PDF document."),
    (_zip_bytes(), "cmm.dfq is named as a Q-DAS AQDEF file but is a ZIP archive (or an Excel "
                   "workbook)."),
    (b"\x89PNG\r\n\x1a\n" + b"\x00" * 8, "cmm.dfq is named as a Q-DAS AQDEF file but is an "
                                          "image."),
    (b"MZ\x90\x00\x03", "cmm.dfq is named as a Q-DAS AQDEF file but holds binary data."),
    (b"Part;Value\n1;12.0\n", "cmm.dfq is named as a Q-DAS AQDEF file but its first line is no "
                              "K-field (such as K0100 or K1001)."),
    (b"  \n", "cmm.dfq is empty."),
])
def test_a_file_that_is_not_what_its_name_says_is_refused(tmp_path, data, expected):
    path = _written(tmp_path, "cmm.dfq", data)
    with pytest.raises(ValidationError) as caught:
        read_aqdef(path)
    assert caught.value.message() == expected


def test_the_content_check_accepts_values_files_and_k_fields(tmp_path):
    check_aqdef(_written(tmp_path, "v.dfx", compact_values()))
    check_aqdef(_written(tmp_path, "w.dfx", "12.01\n12.03\n"))
    check_aqdef(_written(tmp_path, "d.dfd", "\ufeffK0100 3\n", "utf-8"))
