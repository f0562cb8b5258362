"""installer/build.sh where it can be run in seconds: it refuses --nsis on Linux with one sentence
that points at the Windows workflow, compiles the installer script with makensis where that is
installed, and the entry points it freezes start the window under PARTDESK_SMOKE_TEST. (The
freeze itself takes minutes: `bash installer/build.sh` runs it with its smoke test.)"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.installer.helpers import INSTALLER, ROOT

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="Linux behaviour of build.sh")


def build_sh(*args: str, timeout: int = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["bash", str(INSTALLER / "build.sh"), *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=timeout)


@pytest.mark.parametrize("args", [["--nsis"], ["nsis"], ["--plant", "--nsis"]])
def test_nsis_is_refused_on_linux_with_one_sentence(args: list[str]) -> None:
    result = build_sh(*args)
    assert result.returncode == 2
    message = result.stderr.strip()
    assert ".github/workflows/windows.yml" in message
    assert message.count(". ") == 0 and message.endswith(".")  # one sentence
    assert "Windows" in message
    assert result.stdout == ""  # refused before anything was built


def test_an_unknown_argument_is_refused() -> None:
    result = build_sh("--frobnicate")
    assert result.returncode == 2
    assert "Unknown argument: --frobnicate" in result.stderr


@pytest.mark.skipif(shutil.which("makensis") is None,
                    reason="makensis is not installed (installer/system-deps.sh installs it)")
def test_the_installer_script_compiles() -> None:
    """makensis compiles installer/partdesk.nsi against a dummy folder, warnings as errors, and
    hands the uninstaller and the setup to the signing command. Where Wine is installed, the
    setup also installs for this user, upgrades in place and uninstalls keeping the data."""
    result = build_sh("check-nsis", timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "installer/partdesk.nsi compiles" in result.stdout
    assert "signing hooks called" in result.stdout
    if shutil.which("wine"):
        assert "Under Wine: installed for this user, upgraded in place, uninstalled keeping " \
               "the data" in result.stdout


def start(script: Path, data_dir: Path, *extra: str,
          **env: str) -> subprocess.CompletedProcess[str]:
    """An entry script that build.sh freezes, run as PyInstaller runs it (as __main__)."""
    environment = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PARTDESK_NO_DIALOGS": "1",
                   "PARTDESK_LANG": "en", **env}
    return subprocess.run([sys.executable, str(script), "--data-dir", str(data_dir), *extra],
                          cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120)


def test_the_windowed_program_starts_the_window_and_exits(tmp_path: Path) -> None:
    result = start(INSTALLER / "entry_gui.py", tmp_path / "data", PARTDESK_SMOKE_TEST="1")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["first_run_dialog", "ready"]


def test_the_console_program_without_a_command_starts_the_window(tmp_path: Path) -> None:
    result = start(INSTALLER / "entry.py", tmp_path / "data", PARTDESK_SMOKE_TEST="1")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["first_run_dialog", "ready"]


def test_the_windowed_program_runs_no_command(tmp_path: Path) -> None:
    result = start(INSTALLER / "entry_gui.py", tmp_path / "data", "verify")
    assert result.returncode == 2
    assert "run `partdesk verify` for a command" in result.stderr
    assert not (tmp_path / "data").exists()  # nothing opened
