"""Fixtures shared by the window tests (see shell_fixtures.py)."""

from tests.ui.shell_fixtures import languages, make_shell, ui_session  # noqa: F401 - fixtures
