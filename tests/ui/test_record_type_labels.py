"""Kinds of records are named in the person's language wherever they are listed."""

from __future__ import annotations

import pytest

from desktop_app.domain.record_types import RECORD_TYPE_LABELS, record_type_label
from desktop_app.storage.projections import registered_types
from desktop_app.ui.i18n import tr
from tests.ui.shell_fixtures import languages  # noqa: F401 - fixture


def test_every_record_type_with_a_query_table_has_a_label() -> None:
    import desktop_app.storage.models  # noqa: F401 - registers every projection

    assert set(registered_types()) <= set(RECORD_TYPE_LABELS)


@pytest.mark.parametrize(("code", "part", "submission"), [
    ("fr", "Pièce", "Soumission"), ("ar", "القطعة", "الملف المقدَّم"), ("zh", "零件", "提交")])
def test_record_types_are_translated(languages, code, part, submission) -> None:  # noqa: F811
    languages.apply(code)
    assert tr("RecordTypes", record_type_label("part")) == part
    assert tr("RecordTypes", record_type_label("submission")) == submission
    # A kind from a newer version is shown by its code rather than hidden.
    assert tr("RecordTypes", record_type_label("future_kind")) == "future_kind"
