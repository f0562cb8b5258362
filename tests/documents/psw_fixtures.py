"""One demonstration data folder per test run for the warrant's tests (building it takes a few
seconds): the real demo data, every account with the same password."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import arabic_reshaper
import pytest

from desktop_app.demo import build_demo
from desktop_app.paths import DataFolder
from desktop_app.services.context import open_context

DEMO_PASSWORD = "Warrant-Demo-2026!"
_built: dict[str, Path] = {}


def demo_folder(factory: pytest.TempPathFactory) -> Path:
    """A copy of the demo folder for the calling test module (built once per run)."""
    if "demo" not in _built:
        folder = DataFolder(factory.mktemp("psw-demo") / "data")
        folder.root.mkdir()
        ctx = open_context(folder)
        try:
            build_demo(ctx, password=DEMO_PASSWORD)
        finally:
            ctx.close()
        _built["demo"] = folder.root
    copy = factory.mktemp("psw-copy") / "data"
    shutil.copytree(_built["demo"], copy)
    return copy


def squeeze(text: str) -> str:
    """Text without any white space: lines wrap differently in every language."""
    return re.sub(r"\s+", "", text)


def shown(text: str) -> str:
    """A label as pypdf reads it back from the page, squeezed: Arabic letters in their joined
    forms, in reading (logical) order."""
    return squeeze(arabic_reshaper.reshape(text))
