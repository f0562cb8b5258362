"""Every command run on a data folder at risk says why on stderr, and still does its work."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop_app.cli import main
from tests.cli.test_core_cli import init


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    from tests.conftest import PASSWORD

    monkeypatch.setenv("PARTDESK_PASSWORD", PASSWORD)
    monkeypatch.setenv("PARTDESK_USER", "admin")
    return monkeypatch


def test_a_folder_in_a_cloud_synced_folder_is_warned_about_on_every_command(
    tmp_path: Path, env, capsys
) -> None:
    folder = tmp_path / "Dropbox" / "partdesk"
    assert init(folder) == 0
    capsys.readouterr()
    assert main(["--data-dir", str(folder), "verify"]) == 0
    out, err = capsys.readouterr()
    assert "All checks passed" in out
    assert f"The data folder {folder} is inside a cloud-synced folder (Dropbox)" in err
    assert len(err.strip().splitlines()) == 1

    assert main(["--data-dir", str(folder), "--lang", "fr", "people", "list"]) == 0
    err = capsys.readouterr().err
    assert "Dropbox" in err and "The data folder" not in err  # said in French


def test_a_folder_on_the_local_disk_says_nothing(tmp_path: Path, env, capsys) -> None:
    assert init(tmp_path / "local") == 0
    capsys.readouterr()
    assert main(["--data-dir", str(tmp_path / "local"), "verify"]) == 0
    assert capsys.readouterr().err == ""
