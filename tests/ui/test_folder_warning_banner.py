"""The window says, above every page, when the clock is behind the last change recorded here or
the data folder is somewhere it is at risk — in the person's language."""

from __future__ import annotations

from datetime import UTC, datetime

from desktop_app.domain.revisions import format_timestamp
from desktop_app.services.site import SiteService
from desktop_app.ui.main_window import MainWindow
from tests.ui.test_i18n import PEOPLE, switch


def _window(qtbot, ctx, ui_session, languages) -> MainWindow:
    window = MainWindow(ui_session("admin"), SiteService(ctx).local_site(), languages,
                        pages=[PEOPLE])
    qtbot.addWidget(window)
    window.show()
    return window


def test_a_clock_set_back_is_shown_above_the_pages(qtbot, ctx, ui_session, languages) -> None:
    ctx.clock = lambda: format_timestamp(datetime(2020, 3, 1, 8, 0, tzinfo=UTC))
    window = _window(qtbot, ctx, ui_session, languages)

    assert window.warning_label.isVisible()
    text = window.warning_label.text()
    assert text.startswith("This computer's clock says 2020-03-01") and "date and time" in text
    switch(window, "fr")
    assert window.warning_label.text() != text and "2020-03-01" in window.warning_label.text()


def test_a_sound_folder_and_clock_show_no_banner(qtbot, ctx, ui_session, languages) -> None:
    window = _window(qtbot, ctx, ui_session, languages)
    assert not window.warning_label.isVisible() and window.warning_label.text() == ""
