"""`partdesk verify` shows each audit anchor problem as one line and exits non-zero."""

from __future__ import annotations

import json
from pathlib import Path

from desktop_app.cli import main
from tests.cli.test_core_cli import env, init  # noqa: F401 - the fixture is used by name
from tests.storage.audit_tampering import cut_log, rewrite_and_rechain


def test_a_cut_log_fails_verify_with_one_line_per_anchor(tmp_path: Path, env, capsys) -> None:  # noqa: F811
    folder = tmp_path / "d"
    assert init(folder) == 0
    assert main(["--data-dir", str(folder), "--user", "admin", "backup"]) == 0
    assert main(["--data-dir", str(folder), "--user", "admin", "backup"]) == 0
    capsys.readouterr()
    assert main(["--data-dir", str(folder), "verify"]) == 0
    cut_log(folder / "partdesk.sqlite3", 3)
    capsys.readouterr()
    assert main(["--data-dir", str(folder), "verify"]) == 1
    lines = capsys.readouterr().err.strip().splitlines()
    assert any(line.startswith("audit log: the anchor file holds the log up to entry")
               for line in lines)
    assert sum("audit log: backup before" in line or "audit log: backup manual" in line
               for line in lines) >= 1
    assert main(["--data-dir", str(folder), "verify", "--json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert not report["ok"] and any("entries were removed" in p for p in report["problems"])


def test_a_rechained_log_fails_verify(tmp_path: Path, env, capsys) -> None:  # noqa: F811
    folder = tmp_path / "d"
    assert init(folder) == 0
    rewrite_and_rechain(folder / "partdesk.sqlite3", 1, "{}")
    capsys.readouterr()
    assert main(["--data-dir", str(folder), "verify"]) == 1
    assert "do not match their entries, the first at entry 1" in capsys.readouterr().err
