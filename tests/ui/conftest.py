"""Fixtures shared by the window tests (see shell_fixtures.py)."""

import pytest

from tests.ui.shell_fixtures import languages, make_shell, ui_session  # noqa: F401 - fixtures


@pytest.fixture(autouse=True)
def english(languages):  # noqa: F811 - the fixture above
    """Every window test starts in English as the application applies it (its catalogue holds
    the English plural forms: "1 part"), whatever an earlier test left installed."""
    return languages
