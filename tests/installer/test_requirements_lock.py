"""installer/requirements.lock, which the installer builds install with --require-hashes: every
dependency of pyproject.toml (and the PostgreSQL driver, and PyInstaller) pinned within its
range and with hashes, PySide6 below 6.12, and the Windows-only packages there too."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

from tests.installer.helpers import INSTALLER, ROOT

LOCK = INSTALLER / "requirements.lock"


@dataclass
class Pin:
    name: str
    version: Version
    marker: str
    hashes: list[str] = field(default_factory=list)


def read_lock() -> dict[str, Pin]:
    pins: dict[str, Pin] = {}
    current: Pin | None = None
    for line in LOCK.read_text(encoding="utf-8").splitlines():
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        head = re.match(r"^([A-Za-z0-9][\w.-]*)==([\w.+!-]+)\s*(?:;\s*([^\\]*?))?\s*\\?$", line)
        if head:
            current = Pin(canonicalize_name(head.group(1)), Version(head.group(2)),
                          (head.group(3) or "").strip())
            assert current.name not in pins, f"{current.name} pinned twice"
            pins[current.name] = current
            continue
        hashed = re.match(r"^--hash=sha256:([0-9a-f]{64})\s*\\?$", stripped)
        assert hashed and current is not None, f"not a pin nor a hash: {line!r}"
        current.hashes.append(hashed.group(1))
    return pins


@pytest.fixture(scope="module")
def pins() -> dict[str, Pin]:
    return read_lock()


def project() -> dict:
    with (ROOT / "pyproject.toml").open("rb") as f:
        return tomllib.load(f)["project"]


def test_every_package_is_pinned_with_hashes(pins: dict[str, Pin]) -> None:
    assert len(pins) > 20
    unhashed = sorted(name for name, pin in pins.items() if not pin.hashes)
    assert unhashed == []


@pytest.mark.parametrize("extra", [None, "postgres"])
def test_every_runtime_dependency_of_pyproject_is_pinned_within_its_range(
        pins: dict[str, Pin], extra: str | None) -> None:
    specs = (project()["dependencies"] if extra is None
             else project()["optional-dependencies"][extra])
    for spec in specs:
        requirement = Requirement(spec)
        name = canonicalize_name(requirement.name)
        assert name in pins, f"{name} is not in installer/requirements.lock: bash installer/lock.sh"
        pin = pins[name]
        assert requirement.specifier.contains(pin.version, prereleases=True), (
            f"{name} {pin.version} is outside pyproject's {requirement.specifier}: "
            "bash installer/lock.sh")
        assert pin.hashes


def test_pyinstaller_is_pinned_for_the_build(pins: dict[str, Pin]) -> None:
    assert pins["pyinstaller"].version.major == 6
    assert "pyinstaller-hooks-contrib" in pins


def test_pyside6_is_below_6_12_and_its_parts_match(pins: dict[str, Pin]) -> None:
    # 6.12.0 aborts the interpreter on Python 3.11 (none_dealloc); 6.11.3 is sound.
    essentials = pins["pyside6-essentials"].version
    assert essentials < Version("6.12")
    assert pins["pyside6-addons"].version == essentials  # QtPdf
    assert pins["shiboken6"].version == essentials
    assert not pins["pyside6-essentials"].marker


def test_the_windows_only_packages_are_in_it(pins: dict[str, Pin]) -> None:
    """One lock for Linux and Windows: what PyInstaller and psycopg need only on Windows is
    pinned too, under its marker (pip-compile on Linux would leave these out)."""
    for name in ("pefile", "pywin32-ctypes", "tzdata"):
        assert name in pins, name
        assert "sys_platform == 'win32'" in pins[name].marker


def test_the_lock_says_how_it_is_made() -> None:
    head = LOCK.read_text(encoding="utf-8").splitlines()[:3]
    assert any("bash installer/lock.sh" in line for line in head)
    script = (INSTALLER / "lock.sh").read_text(encoding="utf-8")
    for option in ("--universal", "--generate-hashes", "--python-version 3.11",
                   "--extra postgres", "installer/requirements-build.in"):
        assert option in script
