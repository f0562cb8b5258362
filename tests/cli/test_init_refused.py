"""A set-up refused for a mistake (a password too short) leaves a folder that can be set up at
once: no key without its site, so never a folder that looks like a damaged site."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop_app.cli import main
from tests.cli.test_core_cli import init
from tests.conftest import PASSWORD


def test_a_refused_init_leaves_no_key_and_the_next_init_works(tmp_path: Path, capsys,
                                                              monkeypatch: pytest.MonkeyPatch):
    folder = tmp_path / "d"
    monkeypatch.setenv("PARTDESK_PASSWORD", "short")
    assert init(folder) == 2
    assert "at least 10 characters" in capsys.readouterr().err
    assert not (folder / "keys" / "site-ed25519.pem").exists()

    monkeypatch.setenv("PARTDESK_PASSWORD", PASSWORD)
    assert init(folder) == 0
    assert "Site MSR (Massar Rouiba) is set up" in capsys.readouterr().out
    assert main(["--data-dir", str(folder), "verify"]) == 0
