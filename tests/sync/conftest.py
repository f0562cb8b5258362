"""Two enrolled sites, A (supplier) and B (plant), in temporary data folders."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.sync.sites import SiteUnderTest, make_sites


@pytest.fixture
def pair(tmp_path: Path) -> Iterator[tuple[SiteUnderTest, SiteUnderTest]]:
    a, b = make_sites(tmp_path / "sites", "AAA", "BBB")
    yield a, b
    a.ctx.close()
    b.ctx.close()


@pytest.fixture
def outbox(tmp_path: Path) -> Path:
    folder = tmp_path / "outbox"
    folder.mkdir()
    return folder
