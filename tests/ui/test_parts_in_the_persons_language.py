"""The parts list shows each designation in the person's language when the part has one, and
follows a change of language at once; sorting and search keep working on every language."""

from __future__ import annotations

from PySide6.QtCore import Qt

from desktop_app.domain.parts import PartDraft
from desktop_app.services.parts import PartService
from tests.ui.test_parts_page import make_page


def _designation_shown(page, number: str) -> str:
    model = page.model
    column = next(i for i, c in enumerate(model.columns) if c.key == "designation")
    row = next(i for i, r in enumerate(model.loaded_rows()) if r.part_number == number)
    return model.data(model.index(row, column), Qt.ItemDataRole.DisplayRole)


def test_designations_follow_the_language_of_the_window(ctx, actors, qtbot, tmp_path,
                                                        languages) -> None:
    parts = PartService(ctx)
    parts.register_part(actors["eng"], PartDraft(
        part_number="JX7-2804011", revision="A", designation="Pare-chocs arrière",
        family="other", designations={"ar": "واقي الصدمات الخلفي", "zh": "后保险杠",
                                      "en": "Rear bumper"}))
    parts.register_part(actors["eng"], PartDraft(
        part_number="JX7-5101011", revision="A", designation="Traverse avant", family="other"))
    page, tasks = make_page(ctx, actors["eng"], qtbot, tmp_path)
    try:
        languages.apply("zh")
        qtbot.waitUntil(lambda: _designation_shown(page, "JX7-2804011") == "后保险杠")
        assert _designation_shown(page, "JX7-5101011") == "Traverse avant"  # none in Chinese
        languages.apply("ar")
        qtbot.waitUntil(lambda: _designation_shown(page, "JX7-2804011") == "واقي الصدمات الخلفي")
        languages.apply("fr")
        qtbot.waitUntil(lambda: _designation_shown(page, "JX7-2804011") == "Pare-chocs arrière")
        page.search_edit.setText("后保险")  # searched in any language
        qtbot.waitUntil(lambda: [r.part_number for r in page.model.loaded_rows()]
                        == ["JX7-2804011"])
    finally:
        languages.apply("en")
        tasks.shutdown()
