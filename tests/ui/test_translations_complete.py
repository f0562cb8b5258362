"""Every message in the source is translated into French, Arabic and Chinese (and every count
has its English plural forms), and the committed catalogues are what `make translations` would
produce from the code as it is now."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from desktop_app.ui.i18n import i18n_dir
from desktop_app.ui.i18n_build import CATALOGUES, build, read_ts


@pytest.fixture(scope="module")
def rebuilt(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The catalogues re-extracted from today's source, merged with the committed ones."""
    out = tmp_path_factory.mktemp("i18n")
    for code in CATALOGUES:
        shutil.copy(i18n_dir() / f"partdesk_{code}.ts", out / f"partdesk_{code}.ts")
    build(out_dir=out)
    return out


@pytest.mark.parametrize("code", CATALOGUES)
def test_every_message_of_the_application_is_translated(rebuilt: Path, code: str) -> None:
    messages = read_ts(rebuilt / f"partdesk_{code}.ts")
    missing = sorted(f"{m.context}: {m.source}" for m in messages.values()
                     if m.kind == "unfinished")
    assert missing == [], f"{len(missing)} messages to translate: run `make translations`"


@pytest.mark.parametrize("code", CATALOGUES)
def test_the_committed_compiled_catalogue_matches_its_source(rebuilt: Path, code: str) -> None:
    committed = (i18n_dir() / f"partdesk_{code}.qm").read_bytes()
    assert committed == (rebuilt / f"partdesk_{code}.qm").read_bytes(), (
        "the .qm is stale: run `make translations` and commit the .ts and .qm")
