"""What the installer tests share: installer/bundle.py loaded as a module, and the workflow
read with PyYAML."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
INSTALLER = ROOT / "installer"
WORKFLOW = ROOT / ".github" / "workflows" / "windows.yml"


def load_bundle() -> ModuleType:
    spec = importlib.util.spec_from_file_location("partdesk_bundle", INSTALLER / "bundle.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def load_yaml(path: Path) -> Any:
    """The file as PyYAML reads it (a test requirement, pyproject's `test` extra)."""
    import yaml  # type: ignore[import-untyped]

    return yaml.safe_load(path.read_text(encoding="utf-8"))
